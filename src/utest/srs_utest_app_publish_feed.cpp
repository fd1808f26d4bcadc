#include <gtest/gtest.h>

#include <srs_app_publish_feed.hpp>
#include <srs_app_source.hpp>
#include <srs_utest_app_media.hpp>
#include <srs_utest_protocol_helper.hpp>

#include <memory>
#include <string>
#include <vector>

using namespace srs_utest;

namespace {

class FeedPublisher : public ISrsLivePublisher {
public:
    void on_publish_kicked() override {}
};

// What the source hands its features: "audio@ts", "video@ts", "meta@ts" and the bytes.
class FeedRecorder : public ISrsLiveSourceHandler {
public:
    explicit FeedRecorder(std::vector<SrsMediaMessage>* seen) : seen_(seen) {}
    srs_error_t on_publish() override { return srs_success; }
    void on_unpublish() override {}
    srs_error_t on_audio(const SrsMediaMessage& m) override { return record(m); }
    srs_error_t on_video(const SrsMediaMessage& m) override { return record(m); }
    srs_error_t on_meta_data(const SrsMediaMessage& m) override { return record(m); }

private:
    srs_error_t record(const SrsMediaMessage& m) {
        seen_->push_back(m);
        return srs_success;
    }
    std::vector<SrsMediaMessage>* seen_;
};

SrsMediaMessage bytes_msg(uint8_t type, int64_t ts, const std::string& b) {
    return SrsMediaMessage::create(type, ts, 1, b.data(), (int)b.size());
}

// One FLV tag of an aggregate (RTMP spec 7.1.6): tag header, body, PreviousTagSize.
void append_tag(std::string* agg, const SrsMediaMessage& m, uint32_t ts) {
    int size = m.size();
    const char h[11] = {(char)m.type,
                        (char)(size >> 16),
                        (char)(size >> 8),
                        (char)size,
                        (char)(ts >> 16),
                        (char)(ts >> 8),
                        (char)ts,
                        (char)(ts >> 24),
                        0,
                        0,
                        0};
    agg->append(h, 11);
    agg->append(m.data(), m.size());
    int prev = 11 + size;
    const char t[4] = {(char)(prev >> 24), (char)(prev >> 16), (char)(prev >> 8), (char)prev};
    agg->append(t, 4);
}

// "@setDataFrame" "onMetaData" {width: 640}, as an encoder sends it.
const char* kSetDataFrame =
    "02 000D '@'s'e't'D'a't'a'F'r'a'm'e 02 000A 'o'n'M'e't'a'D'a't'a"
    " 08 00000001 0005 'w'i'd't'h 00 4084000000000000 000009";

class PublishFeedTest : public testing::Test {
protected:
    void SetUp() override {
        source_ = std::make_shared<SrsLiveSource>("__defaultVhost__", "live", "feed");
        source_->add_handler(std::make_unique<FeedRecorder>(&seen_));
        ASSERT_TRUE(source_->on_publish(&publisher_) == srs_success);
    }
    void TearDown() override { source_->on_unpublish(&publisher_); }

    FeedPublisher publisher_;
    std::shared_ptr<SrsLiveSource> source_;
    std::vector<SrsMediaMessage> seen_;
};

}  // namespace

TEST_F(PublishFeedTest, TakesMediaAndDataOnly) {
    for (uint8_t t : {SrsMsgAudio, SrsMsgVideo, SrsMsgAggregate, SrsMsgAMF0Data, SrsMsgAMF3Data}) {
        EXPECT_TRUE(SrsPublishFeed::takes(t)) << (int)t;
    }
    // The front end's: commands, control messages, shared objects.
    for (uint8_t t : {SrsMsgSetChunkSize, SrsMsgAbort, SrsMsgAcknowledgement, SrsMsgUserControl, SrsMsgWindowAckSize,
                      SrsMsgSetPeerBandwidth, SrsMsgEdgeAndOriginServerCommand, SrsMsgAMF3SharedObject,
                      SrsMsgAMF3Command, SrsMsgAMF0SharedObject, SrsMsgAMF0Command}) {
        EXPECT_FALSE(SrsPublishFeed::takes(t)) << (int)t;
    }
}

TEST_F(PublishFeedTest, RoutesAudioVideoAndMetadata) {
    SrsPublishFeed feed(source_.get());
    SRS_ASSERT_OK(feed.feed(bytes_msg(SrsMsgAMF0Data, 0, srs_utest_hex(kSetDataFrame))));
    SRS_ASSERT_OK(feed.feed(video_sh(0)));
    SRS_ASSERT_OK(feed.feed(audio_sh(0)));
    SRS_ASSERT_OK(feed.feed(keyframe(0)));
    SRS_ASSERT_OK(feed.feed(audio(23)));
    SRS_ASSERT_OK(feed.feed(inter_frame(40)));

    ASSERT_EQ(6u, seen_.size());
    // The metadata reaches the features as onMetaData, without the encoder's @setDataFrame.
    EXPECT_TRUE(seen_[0].is_script());
    EXPECT_EQ(srs_utest_hex(kSetDataFrame).substr(16), std::string(seen_[0].data(), seen_[0].size()));
    EXPECT_EQ(std::string(source_->meta().data(), source_->meta().size()),
              std::string(seen_[0].data(), seen_[0].size()));
    EXPECT_TRUE(seen_[1].is_video_sequence_header());
    EXPECT_TRUE(seen_[2].is_audio_sequence_header());
    EXPECT_TRUE(seen_[3].is_keyframe());
    EXPECT_TRUE(seen_[4].is_audio());
    EXPECT_EQ(23, seen_[4].timestamp);
    EXPECT_TRUE(seen_[5].is_video());
    EXPECT_FALSE(seen_[5].is_keyframe());
    EXPECT_EQ(3, source_->nb_video_msgs());
    EXPECT_EQ(2, source_->nb_audio_msgs());
    EXPECT_TRUE(source_->video_sequence_header().payload != nullptr);
    EXPECT_TRUE(source_->audio_sequence_header().payload != nullptr);
}

TEST_F(PublishFeedTest, Amf3MetadataIsMetadata) {
    SrsPublishFeed feed(source_.get());
    // AMF3 data: a format byte 0, then the AMF0 values (RTMP spec 7.1.2).
    std::string amf3 = std::string(1, '\0') + srs_utest_hex(kSetDataFrame);
    SRS_ASSERT_OK(feed.feed(bytes_msg(SrsMsgAMF3Data, 0, amf3)));
    ASSERT_EQ(1u, seen_.size());
    EXPECT_EQ(SrsMsgAMF0Data, seen_[0].type);
    EXPECT_EQ(srs_utest_hex(kSetDataFrame).substr(16), std::string(seen_[0].data(), seen_[0].size()));
}

TEST_F(PublishFeedTest, AggregateSplitIntoItsTags) {
    SrsPublishFeed feed(source_.get());
    std::string agg;
    append_tag(&agg, video_sh(), 0x01000000);
    append_tag(&agg, keyframe(0), 0x01000000);
    append_tag(&agg, audio(0), 0x01000017);
    append_tag(&agg, meta(), 0x01000017);
    SRS_ASSERT_OK(feed.feed(bytes_msg(SrsMsgAggregate, 5000, agg)));
    ASSERT_EQ(4u, seen_.size());
    EXPECT_TRUE(seen_[0].is_video_sequence_header());
    EXPECT_TRUE(seen_[1].is_keyframe());
    EXPECT_EQ(5000, seen_[1].timestamp);
    EXPECT_TRUE(seen_[2].is_audio());
    EXPECT_EQ(5023, seen_[2].timestamp);
    EXPECT_TRUE(seen_[3].is_script());

    // A torn aggregate fails; what came whole before the tear went through.
    seen_.clear();
    srs_error_t err = feed.feed(bytes_msg(SrsMsgAggregate, 0, agg.substr(0, agg.size() - 3)));
    EXPECT_EQ(ERROR_RTMP_AGGREGATE, srs_error_code(err));
    EXPECT_EQ(3u, seen_.size());
}

TEST_F(PublishFeedTest, IgnoresWhatIsNotMedia) {
    SrsPublishFeed feed(source_.get());
    // Data that is not metadata: onTextData, |RtmpSampleAccess.
    SRS_ASSERT_OK(feed.feed(bytes_msg(SrsMsgAMF0Data, 0, srs_utest_hex("02 000A 'o'n'T'e'x't'D'a't'a 03 000009"))));
    SRS_ASSERT_OK(feed.feed(
        bytes_msg(SrsMsgAMF0Data, 0, srs_utest_hex("02 0011 '|'R't'm'p'S'a'm'p'l'e'A'c'c'e's's 01 01 01 01"))));
    // @setDataFrame wrapping another frame than onMetaData is not the stream's metadata.
    SRS_ASSERT_OK(feed.feed(bytes_msg(
        SrsMsgAMF0Data, 0,
        srs_utest_hex("02 000D '@'s'e't'D'a't'a'F'r'a'm'e 02 0008 'o'n'S't'a't'u's 03 0001 'a 01 01 000009"))));
    // The front end's types, even with media-looking bytes.
    SRS_ASSERT_OK(
        feed.feed(bytes_msg(SrsMsgAMF0Command, 0, srs_utest_hex("02 0007 'p'u'b'l'i's'h 00 0000000000000000"))));
    SRS_ASSERT_OK(feed.feed(bytes_msg(SrsMsgSetChunkSize, 0, srs_utest_hex("00001000"))));
    SRS_ASSERT_OK(feed.feed(bytes_msg(SrsMsgUserControl, 0, srs_utest_hex("0003 00000001 00000bb8"))));
    SRS_ASSERT_OK(feed.feed(bytes_msg(SrsMsgAMF0SharedObject, 0, std::string("\x17\x01", 2))));
    EXPECT_TRUE(seen_.empty());
    EXPECT_EQ(0, source_->nb_video_msgs());
    EXPECT_TRUE(source_->meta().payload == nullptr);
}

TEST_F(PublishFeedTest, BadDataFailsWithoutReachingTheSource) {
    SrsPublishFeed feed(source_.get());
    // Empty, not AMF0, and cut inside the metadata.
    SRS_EXPECT_FAIL(feed.feed(bytes_msg(SrsMsgAMF0Data, 0, "")));
    SRS_EXPECT_FAIL(feed.feed(bytes_msg(SrsMsgAMF0Data, 0, std::string("\xff\x01\x02", 3))));
    std::string cut = srs_utest_hex(kSetDataFrame);
    srs_error_t err = feed.feed(bytes_msg(SrsMsgAMF0Data, 0, cut.substr(0, cut.size() - 12)));
    EXPECT_TRUE(srs_utest_fail(err));
    EXPECT_TRUE(seen_.empty());
    EXPECT_TRUE(source_->meta().payload == nullptr);
}

TEST(PublishFeedNoPublisherTest, RefusedWhenTheSourceHasNoPublisher) {
    SrsLiveSource source("__defaultVhost__", "live", "idle");
    SrsPublishFeed feed(&source);
    EXPECT_EQ(ERROR_SOURCE_NOT_PUBLISHING, srs_error_code(feed.feed(keyframe(0))));
    EXPECT_EQ(ERROR_SOURCE_NOT_PUBLISHING, srs_error_code(feed.feed(audio(0))));
    EXPECT_EQ(ERROR_SOURCE_NOT_PUBLISHING,
              srs_error_code(feed.feed(bytes_msg(SrsMsgAMF0Data, 0, srs_utest_hex(kSetDataFrame)))));
}
