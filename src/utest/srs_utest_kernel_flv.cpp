#include <gtest/gtest.h>

#include <srs_kernel_flv.hpp>
#include <srs_kernel_io.hpp>
#include <srs_kernel_message.hpp>

#include <unistd.h>

TEST(KernelFlvTest, HeaderAndTagLayout) {
    SrsMemoryWriter w;
    SrsFlvTransmuxer enc(&w);
    ASSERT_TRUE(enc.write_header(true, true) == srs_success);
    const unsigned char header[] = {'F', 'L', 'V', 0x01, 0x05, 0, 0, 0, 9, 0, 0, 0, 0};
    ASSERT_EQ(sizeof(header), w.bytes().size());
    EXPECT_EQ(0, memcmp(header, w.bytes().data(), sizeof(header)));

    w.bytes().clear();
    // Timestamp 0x12345678: low 24 bits then the extended byte.
    ASSERT_TRUE(enc.write_tag(9, 0x12345678, "\x17\x01\x00\x00\x00", 5) == srs_success);
    const unsigned char tag[] = {0x09, 0x00, 0x00, 0x05, 0x34, 0x56, 0x78, 0x12, 0x00, 0x00,
                                 0x00, 0x17, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10};
    ASSERT_EQ(sizeof(tag), w.bytes().size());
    EXPECT_EQ(0, memcmp(tag, w.bytes().data(), sizeof(tag)));

    char audio_only[13];
    srs_flv_write_header(audio_only, true, false);
    EXPECT_EQ(0x04, audio_only[4]);
    srs_flv_write_header(audio_only, false, true);
    EXPECT_EQ(0x01, audio_only[4]);

    EXPECT_EQ(ERROR_KERNEL_FLV_TAG, srs_error_code(enc.write_tag(8, 0, "", -1)));
}

TEST(KernelFlvTest, ZeroCopyBatchSharesPayloads) {
    std::vector<SrsMediaMessage> msgs;
    msgs.push_back(SrsMediaMessage::create(8, 10, 1, "\xaf\x01\x21", 3));
    msgs.push_back(SrsMediaMessage::create(9, 20, 1, "\x27\x01\x00\x00\x00\x01", 6));
    msgs.push_back(SrsMediaMessage::create(18, 30, 1, "", 0));

    SrsFlvTransmuxer enc(nullptr);
    std::vector<iovec> iovs;
    ASSERT_TRUE(enc.encode_tags(msgs.data(), (int)msgs.size(), &iovs) == srs_success);
    // header, payload, size for each tag; an empty payload has no iovec.
    ASSERT_EQ(8u, iovs.size());
    EXPECT_EQ(msgs[0].data(), iovs[1].iov_base);
    EXPECT_EQ(msgs[1].data(), iovs[4].iov_base);

    SrsMemoryWriter w;
    enc.set_writer(&w);
    ASSERT_TRUE(enc.write_tags(msgs.data(), (int)msgs.size()) == srs_success);
    EXPECT_EQ(1, w.calls());
    EXPECT_EQ((size_t)(3 * 15 + 3 + 6), w.bytes().size());
    // The same bytes as one write_tag per message.
    SrsMemoryWriter w2;
    SrsFlvTransmuxer enc2(&w2);
    for (const SrsMediaMessage& m : msgs) {
        ASSERT_TRUE(enc2.write_tag(m.type, m.timestamp, m.data(), m.size()) == srs_success);
    }
    EXPECT_EQ(w2.bytes(), w.bytes());

    // Large batches are split within IOV_MAX.
    std::vector<SrsMediaMessage> many(700, msgs[0]);
    SrsMemoryWriter w3;
    enc.set_writer(&w3);
    ASSERT_TRUE(enc.write_tags(many.data(), (int)many.size()) == srs_success);
    EXPECT_EQ(3, w3.calls());
    EXPECT_EQ(700u * 18, w3.bytes().size());
}

namespace {

std::string make_flv(int tags) {
    SrsMemoryWriter w;
    SrsFlvTransmuxer enc(&w);
    EXPECT_TRUE(enc.write_header(true, true) == srs_success);
    for (int i = 0; i < tags; i++) {
        std::string body(10 + i, (char)i);
        EXPECT_TRUE(enc.write_tag(i % 2 ? 9 : 8, i * 1000000LL, body.data(), (int)body.size()) == srs_success);
    }
    return w.bytes();
}

}  // namespace

TEST(KernelFlvTest, DecoderRoundTrip) {
    std::string flv = make_flv(20);
    // Short reads of 3 bytes exercise the read-fully loop.
    SrsMemoryReader r(flv, 3);
    SrsFlvDecoder dec(&r);
    bool has_audio = false, has_video = false;
    ASSERT_TRUE(dec.read_header(&has_audio, &has_video) == srs_success);
    EXPECT_TRUE(has_audio);
    EXPECT_TRUE(has_video);
    for (int i = 0; i < 20; i++) {
        SrsMediaMessage m;
        srs_error_t err = dec.read_message(&m);
        ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
        EXPECT_EQ(i % 2 ? 9 : 8, m.type);
        // Timestamps past 24 bits come back through TimestampExtended.
        EXPECT_EQ(i * 1000000LL, m.timestamp);
        EXPECT_EQ(std::string(10 + i, (char)i), std::string(m.data(), m.size()));
    }
    SrsMediaMessage m;
    srs_error_t err = dec.read_message(&m);
    EXPECT_EQ(ERROR_SYSTEM_FILE_EOF, srs_error_code(err));
    EXPECT_EQ(0, dec.bad_previous_tag_sizes());
}

TEST(KernelFlvTest, DecoderErrors) {
    std::string flv = make_flv(2);
    // Bad signature, version, data offset.
    for (int at : {0, 3, 5}) {
        std::string bad = flv;
        bad[at] = (char)0x7f;
        SrsMemoryReader r(bad);
        SrsFlvDecoder dec(&r);
        EXPECT_EQ(ERROR_KERNEL_FLV_HEADER, srs_error_code(dec.read_header())) << at;
    }
    // A file shorter than the header.
    {
        SrsMemoryReader r(flv.substr(0, 5));
        SrsFlvDecoder dec(&r);
        EXPECT_EQ(ERROR_SYSTEM_FILE_EOF, srs_error_code(dec.read_header()));
    }
    // Truncated inside every part of a tag.
    for (size_t cut : {14u, 20u, 24u, 30u, 36u}) {
        SrsMemoryReader r(flv.substr(0, cut));
        SrsFlvDecoder dec(&r);
        ASSERT_TRUE(dec.read_header() == srs_success);
        SrsMediaMessage m;
        EXPECT_EQ(ERROR_KERNEL_FLV_TRUNCATED, srs_error_code(dec.read_message(&m))) << cut;
    }
    // Bad tag type, encrypted tag, stream id.
    for (auto mutate : std::vector<std::pair<int, char>>{{13, 7}, {13, 0x28}, {13 + 10, 1}}) {
        std::string bad = flv;
        bad[mutate.first] = mutate.second;
        SrsMemoryReader r(bad);
        SrsFlvDecoder dec(&r);
        ASSERT_TRUE(dec.read_header() == srs_success);
        SrsMediaMessage m;
        EXPECT_EQ(ERROR_KERNEL_FLV_TAG, srs_error_code(dec.read_message(&m)));
    }
    // A wrong PreviousTagSize is tolerated and counted.
    {
        std::string bad = flv;
        bad[13 + 11 + 10 + 3] = 0x00;
        SrsMemoryReader r(bad);
        SrsFlvDecoder dec(&r);
        ASSERT_TRUE(dec.read_header() == srs_success);
        SrsMediaMessage m;
        EXPECT_TRUE(dec.read_message(&m) == srs_success);
        EXPECT_EQ(1, dec.bad_previous_tag_sizes());
    }
}

TEST(KernelFlvTest, FileWriterAndReader) {
    char path[] = "/tmp/srs_utest_flv_XXXXXX";
    int fd = mkstemp(path);
    ASSERT_GE(fd, 0);
    close(fd);
    {
        SrsFileWriter fw;
        ASSERT_TRUE(fw.open(path) == srs_success);
        EXPECT_EQ(ERROR_SYSTEM_FILE_ALREADY_OPENED, srs_error_code(fw.open(path)));
        SrsFlvTransmuxer enc(&fw);
        ASSERT_TRUE(enc.write_header() == srs_success);
        ASSERT_TRUE(enc.write_tag(8, 5, "\xaf\x01", 2) == srs_success);
        EXPECT_EQ(13 + 17, fw.tellg());
        // Rewrite the header flags in place, as DVR does with its metadata.
        ASSERT_TRUE(fw.seek(4) == srs_success);
        ASSERT_TRUE(fw.write("\x04", 1, nullptr) == srs_success);
        EXPECT_EQ(5, fw.tellg());
        EXPECT_EQ(ERROR_SYSTEM_FILE_SEEK, srs_error_code(fw.seek(-1)));
    }
    {
        SrsFileWriter fa;
        ASSERT_TRUE(fa.open_append(path) == srs_success);
        EXPECT_EQ(30, fa.tellg());
    }
    SrsFileReader fr;
    ASSERT_TRUE(fr.open(path) == srs_success);
    EXPECT_EQ(30, fr.filesize());
    SrsFlvDecoder dec(&fr);
    bool has_audio = false, has_video = true;
    ASSERT_TRUE(dec.read_header(&has_audio, &has_video) == srs_success);
    EXPECT_TRUE(has_audio);
    EXPECT_FALSE(has_video);
    SrsMediaMessage m;
    ASSERT_TRUE(dec.read_message(&m) == srs_success);
    EXPECT_EQ(5, m.timestamp);
    EXPECT_EQ(ERROR_SYSTEM_FILE_EOF, srs_error_code(dec.read_message(&m)));
    unlink(path);

    SrsFileReader missing;
    EXPECT_EQ(ERROR_SYSTEM_FILE_NOT_EXISTS, srs_error_code(missing.open("/nonexistent/x.flv")));
}

namespace {

// One FLV tag (header, data, PreviousTagSize) as in an aggregate message.
void append_aggregate_tag(std::string* out, uint8_t type, int64_t ts, const std::string& data) {
    char h[SRS_FLV_TAG_HEADER_SIZE];
    srs_flv_write_tag_header(h, type, (int)data.size(), ts);
    out->append(h, sizeof(h));
    out->append(data);
    uint32_t prev = SRS_FLV_TAG_HEADER_SIZE + (uint32_t)data.size();
    char p[4] = {(char)(prev >> 24), (char)(prev >> 16), (char)(prev >> 8), (char)prev};
    out->append(p, 4);
}

}  // namespace

// RTMP spec 7.1.6: the first tag's time maps to the aggregate's, later tags keep their offset;
// every tag type is returned (the caller chooses), each with the aggregate's stream id.
TEST(KernelFlvTest, AggregateIteratorRebasesTags) {
    std::string agg;
    append_aggregate_tag(&agg, SrsMsgVideo, 0x01000000, std::string("\x17\x00\x00\x00\x00V0", 7));
    append_aggregate_tag(&agg, SrsMsgAudio, 0x01000017,
                         "\xaf\x01"
                         "A");
    append_aggregate_tag(&agg, 0x07, 0x01000020, "x");
    append_aggregate_tag(&agg, SrsMsgVideo, 0x01000028, "");
    SrsMediaMessage m = SrsMediaMessage::create(SrsMsgAggregate, 5000, 3, agg.data(), (int)agg.size());

    SrsFlvAggregateIterator it(m);
    std::vector<SrsMediaMessage> out;
    while (true) {
        SrsMediaMessage sub;
        bool done = false;
        ASSERT_TRUE(it.next(&sub, &done) == srs_success);
        if (done) {
            break;
        }
        out.push_back(sub);
    }
    ASSERT_EQ(4u, out.size());
    EXPECT_EQ(SrsMsgVideo, out[0].type);
    EXPECT_EQ(5000, out[0].timestamp);
    EXPECT_EQ(3, out[0].stream_id);
    EXPECT_EQ(std::string("\x17\x00\x00\x00\x00V0", 7), std::string(out[0].data(), out[0].size()));
    EXPECT_EQ(SrsMsgAudio, out[1].type);
    EXPECT_EQ(5023, out[1].timestamp);
    EXPECT_EQ(0x07, out[2].type);
    EXPECT_EQ(5032, out[2].timestamp);
    EXPECT_EQ(5040, out[3].timestamp);
    EXPECT_EQ(0, out[3].size());
}

// A truncated header or body is an error, never a read past the end; an empty aggregate is done.
TEST(KernelFlvTest, AggregateIteratorTruncated) {
    std::string agg;
    append_aggregate_tag(&agg, SrsMsgAudio, 10,
                         "\xaf\x01"
                         "AAAA");
    for (size_t cut : {size_t(1), size_t(10), size_t(11), agg.size() - 1}) {
        std::string part = agg.substr(0, cut);
        SrsMediaMessage m = SrsMediaMessage::create(SrsMsgAggregate, 0, 1, part.data(), (int)part.size());
        SrsFlvAggregateIterator it(m);
        SrsMediaMessage sub;
        bool done = false;
        srs_error_t err = it.next(&sub, &done);
        EXPECT_EQ(ERROR_RTMP_AGGREGATE, srs_error_code(err)) << cut;
    }
    SrsMediaMessage empty = SrsMediaMessage::create(SrsMsgAggregate, 0, 1, "", 0);
    SrsFlvAggregateIterator it(empty);
    SrsMediaMessage sub;
    bool done = false;
    ASSERT_TRUE(it.next(&sub, &done) == srs_success);
    EXPECT_TRUE(done);
}
