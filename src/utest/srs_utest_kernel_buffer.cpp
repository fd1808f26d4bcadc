#include <gtest/gtest.h>

#include <srs_kernel_buffer.hpp>
#include <srs_kernel_message.hpp>

TEST(KernelBufferTest, BigAndLittleEndianRoundTrip) {
    char data[64];
    SrsBuffer w(data, sizeof(data));
    w.write_1bytes(0x12);
    w.write_2bytes(0x3456);
    w.write_3bytes(0x789abc);
    w.write_4bytes((int32_t)0xdef01234);
    w.write_8bytes(0x0102030405060708LL);
    w.write_le2bytes(0x3456);
    w.write_le3bytes(0x789abc);
    w.write_le4bytes(0x11223344);
    w.write_le8bytes(0x0102030405060708LL);
    w.write_string("ab");
    EXPECT_EQ(1 + 2 + 3 + 4 + 8 + 2 + 3 + 4 + 8 + 2, w.pos());
    EXPECT_EQ((char)0x34, data[1]);

    SrsBuffer r(data, w.pos());
    EXPECT_EQ(0x12, r.read_1bytes());
    EXPECT_EQ(0x3456, r.read_2bytes());
    EXPECT_EQ(0x789abc, r.read_3bytes());
    EXPECT_EQ((int32_t)0xdef01234, r.read_4bytes());
    EXPECT_EQ(0x0102030405060708LL, r.read_8bytes());
    EXPECT_EQ(0x3456, r.read_le2bytes());
    EXPECT_EQ(0x789abc, r.read_le3bytes());
    EXPECT_EQ(0x11223344, r.read_le4bytes());
    EXPECT_EQ(0x0102030405060708LL, r.read_le8bytes());
    EXPECT_TRUE(r.require(2));
    EXPECT_FALSE(r.require(3));
    EXPECT_EQ("ab", r.read_string(2));
    EXPECT_TRUE(r.empty());
    EXPECT_FALSE(r.require(-1));
}

TEST(KernelBufferTest, BitsAndExpGolomb) {
    // 1 | 010 | 011 | 00100 -> ue: 0, 1, 2, 3 ; then se from 00101 (ue 4 -> -2)
    char data[] = {(char)0xa6, (char)0x42, (char)0x80};
    SrsBitReader bb(data, sizeof(data));
    uint32_t v = 99;
    ASSERT_TRUE(bb.ue(&v));
    EXPECT_EQ(0u, v);
    ASSERT_TRUE(bb.ue(&v));
    EXPECT_EQ(1u, v);
    ASSERT_TRUE(bb.ue(&v));
    EXPECT_EQ(2u, v);
    ASSERT_TRUE(bb.ue(&v));
    EXPECT_EQ(3u, v);
    int32_t s = 0;
    ASSERT_TRUE(bb.se(&s));
    EXPECT_EQ(-2, s);
    // Only zeros left: no terminating 1 bit.
    EXPECT_FALSE(bb.ue(&v));
    EXPECT_TRUE(bb.failed());
}

TEST(KernelBufferTest, BitsBoundsAndUvlc) {
    char data[] = {(char)0xb5, (char)0x01};
    SrsBitReader r(data, sizeof(data));
    uint32_t v = 0;
    ASSERT_TRUE(r.bits(3, &v));
    EXPECT_EQ(5u, v);
    EXPECT_EQ(0x15u, r.u(5));
    EXPECT_EQ(8, r.left_bits());
    EXPECT_FALSE(r.failed());
    // uvlc 0000000 1 -> 7 leading zeros, then 7 value bits that are not there.
    EXPECT_FALSE(r.skip_uvlc());
    EXPECT_TRUE(r.failed());
    // A read past the end reads nothing and gives 0.
    SrsBitReader s(data, 1);
    EXPECT_EQ(0u, s.u(9));
    EXPECT_TRUE(s.failed());
    EXPECT_EQ(8, s.left_bits());
    EXPECT_FALSE(s.bits(33, &v));
    EXPECT_FALSE(s.skip(9));
    ASSERT_TRUE(s.skip(8));
    EXPECT_EQ(0, s.left_bits());
}

TEST(KernelMessageTest, CopiesShareThePayload) {
    SrsMediaMessage m = SrsMediaMessage::create(SrsMsgVideo, 40, 1, "\x17\x01", 2);
    SrsMediaMessage c = m;
    EXPECT_EQ(m.data(), c.data());
    EXPECT_EQ(2, m.payload.use_count());
    EXPECT_TRUE(c.is_video());
    EXPECT_TRUE(c.is_av());
    EXPECT_FALSE(c.is_script());
    EXPECT_EQ(40, c.timestamp);
}

TEST(KernelMessageTest, FlvTagInspection) {
    EXPECT_TRUE(SrsFlvTag::is_video_keyframe("\x17\x01", 2));
    EXPECT_FALSE(SrsFlvTag::is_video_keyframe("\x27\x01", 2));
    EXPECT_TRUE(SrsFlvTag::is_video_sequence_header("\x17\x00", 2));
    EXPECT_FALSE(SrsFlvTag::is_video_sequence_header("\x17\x01", 2));
    EXPECT_TRUE(SrsFlvTag::is_video_sequence_header("\x1c\x00", 2));
    EXPECT_TRUE(SrsFlvTag::is_audio_sequence_header("\xaf\x00", 2));
    EXPECT_FALSE(SrsFlvTag::is_audio_sequence_header("\xaf\x01", 2));
    EXPECT_FALSE(SrsFlvTag::is_audio_sequence_header("\x2f\x00", 2));
    EXPECT_EQ(7, SrsFlvTag::video_codec_id("\x17", 1));
    EXPECT_EQ(10, SrsFlvTag::audio_codec_id("\xaf", 1));
    // Enhanced RTMP: IsExHeader | keyframe(1) << 4 | PacketTypeSequenceStart(0), then 'hvc1'.
    const char ex_seq[] = {(char)0x90, 'h', 'v', 'c', '1'};
    EXPECT_TRUE(SrsFlvTag::is_video_keyframe(ex_seq, 5));
    EXPECT_TRUE(SrsFlvTag::is_video_sequence_header(ex_seq, 5));
    EXPECT_EQ(0, SrsFlvTag::video_codec_id(ex_seq, 5));
    EXPECT_FALSE(SrsFlvTag::is_video_keyframe("", 0));
}

namespace {

SrsMediaMessage media(uint8_t type, const char* data, int size) {
    return SrsMediaMessage::create(type, 0, 1, data, size);
}

}  // namespace

TEST(KernelMessageTest, MediaFlagsH264) {
    // Keyframe (1) | AVC (7), AVCPacketType 1 (NALUs): a start point, not a header.
    SrsMediaMessage key = media(SrsMsgVideo, "\x17\x01\x00\x00\x00", 5);
    EXPECT_TRUE(key.is_keyframe());
    EXPECT_FALSE(key.is_sequence_header());
    EXPECT_FALSE(key.is_video_sequence_header());
    EXPECT_FALSE(key.is_audio_sequence_header());

    // Inter frame (2) | AVC.
    SrsMediaMessage inter = media(SrsMsgVideo, "\x27\x01\x00\x00\x00", 5);
    EXPECT_FALSE(inter.is_keyframe());
    EXPECT_FALSE(inter.is_sequence_header());

    // AVCPacketType 0: the decoder configuration record, a keyframe tag but no start point.
    SrsMediaMessage sh = media(SrsMsgVideo, "\x17\x00\x00\x00\x00", 5);
    EXPECT_FALSE(sh.is_keyframe());
    EXPECT_TRUE(sh.is_sequence_header());
    EXPECT_TRUE(sh.is_video_sequence_header());
    EXPECT_FALSE(sh.is_audio_sequence_header());

    // Legacy HEVC (12) sequence header.
    EXPECT_TRUE(media(SrsMsgVideo, "\x1c\x00", 2).is_video_sequence_header());
    // Enhanced RTMP: keyframe SequenceStart 'hvc1', then keyframe CodedFrames.
    const char ex_seq[] = {(char)0x90, 'h', 'v', 'c', '1'};
    const char ex_key[] = {(char)0x91, 'h', 'v', 'c', '1'};
    EXPECT_TRUE(media(SrsMsgVideo, ex_seq, 5).is_video_sequence_header());
    EXPECT_FALSE(media(SrsMsgVideo, ex_seq, 5).is_keyframe());
    EXPECT_TRUE(media(SrsMsgVideo, ex_key, 5).is_keyframe());
    EXPECT_FALSE(media(SrsMsgVideo, ex_key, 5).is_sequence_header());
}

TEST(KernelMessageTest, MediaFlagsAac) {
    SrsMediaMessage sh = media(SrsMsgAudio, "\xaf\x00\x12\x10", 4);
    EXPECT_TRUE(sh.is_sequence_header());
    EXPECT_TRUE(sh.is_audio_sequence_header());
    EXPECT_FALSE(sh.is_video_sequence_header());
    EXPECT_FALSE(sh.is_keyframe());

    SrsMediaMessage raw = media(SrsMsgAudio, "\xaf\x01\x21\x10", 4);
    EXPECT_FALSE(raw.is_sequence_header());
    EXPECT_FALSE(raw.is_keyframe());
}

TEST(KernelMessageTest, MediaFlagsOtherCodecsAndTypes) {
    // MP3 (2) and Speex (11) have no sequence header, whatever their second byte.
    EXPECT_FALSE(media(SrsMsgAudio, "\x2f\x00", 2).is_sequence_header());
    EXPECT_FALSE(media(SrsMsgAudio, "\xbf\x00", 2).is_sequence_header());
    // VP6 (4) keyframe: a start point; no sequence header.
    SrsMediaMessage vp6 = media(SrsMsgVideo, "\x14\x00", 2);
    EXPECT_TRUE(vp6.is_keyframe());
    EXPECT_FALSE(vp6.is_sequence_header());
    // The flags follow the message type: the same bytes as audio or data are no video keyframe.
    EXPECT_FALSE(media(SrsMsgAudio, "\x17\x01", 2).is_keyframe());
    EXPECT_FALSE(media(SrsMsgAMF0Data, "\x17\x00", 2).is_sequence_header());
    EXPECT_FALSE(media(SrsMsgVideo, "\xaf\x00", 2).is_sequence_header());
    // A sequence header needs its packet type byte.
    EXPECT_FALSE(media(SrsMsgVideo, "\x17", 1).is_sequence_header());
    EXPECT_TRUE(media(SrsMsgVideo, "\x17", 1).is_keyframe());
    EXPECT_FALSE(media(SrsMsgAudio, "\xaf", 1).is_sequence_header());
}

TEST(KernelMessageTest, MediaFlagsEmpty) {
    SrsMediaMessage empty = media(SrsMsgVideo, "", 0);
    EXPECT_FALSE(empty.is_keyframe());
    EXPECT_FALSE(empty.is_sequence_header());
    SrsMediaMessage none;
    none.type = SrsMsgVideo;
    EXPECT_FALSE(none.is_keyframe());
    EXPECT_FALSE(none.is_sequence_header());
    none.type = SrsMsgAudio;
    EXPECT_FALSE(none.is_audio_sequence_header());
}

TEST(KernelMessageTest, MediaFlagsWorkedOutOncePerPayload) {
    SrsMediaMessage m = media(SrsMsgVideo, "\x17\x01", 2);
    SrsMediaMessage copy = m;
    EXPECT_TRUE(m.is_keyframe());
    // The copies share the answer: the bytes are immutable, so it is not worked out again
    // (proved by changing the bytes behind the cache's back, which no producer may do).
    copy.payload->data()[0] = 0x27;
    EXPECT_TRUE(copy.is_keyframe());
    // The cache lives in the payload's padding: no byte more per payload.
    EXPECT_EQ(2 * sizeof(void*), sizeof(SrsSharedPayload));
}

TEST(KernelMessageTest, VideoCodedKeyframe) {
    EXPECT_TRUE(SrsFlvTag::is_video_coded_keyframe("\x17\x01", 2));
    EXPECT_FALSE(SrsFlvTag::is_video_coded_keyframe("\x17\x00", 2));  // sequence header
    EXPECT_FALSE(SrsFlvTag::is_video_coded_keyframe("\x17\x02", 2));  // end of sequence
    EXPECT_FALSE(SrsFlvTag::is_video_coded_keyframe("\x27\x01", 2));
    EXPECT_FALSE(SrsFlvTag::is_video_coded_keyframe("\x17", 1));
    EXPECT_TRUE(SrsFlvTag::is_video_coded_keyframe("\x14", 1));  // VP6: any keyframe
    EXPECT_TRUE(SrsFlvTag::is_video_coded_keyframe("\x91hvc1", 5));
    EXPECT_TRUE(SrsFlvTag::is_video_coded_keyframe("\x93hvc1", 5));
    EXPECT_FALSE(SrsFlvTag::is_video_coded_keyframe("\x90hvc1", 5));
    EXPECT_FALSE(SrsFlvTag::is_video_coded_keyframe("\xa1hvc1", 5));
    EXPECT_FALSE(SrsFlvTag::is_video_coded_keyframe("", 0));
}
