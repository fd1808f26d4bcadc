#include <gtest/gtest.h>

#include <srs_kernel_io.hpp>
#include <srs_kernel_message.hpp>
#include <srs_kernel_raw_audio.hpp>
#include <srs_utest_kernel_media.hpp>

using namespace srs_utest;

TEST(KernelRawAudioTest, AacToAdtsStream) {
    SrsMemoryWriter w;
    SrsAacStreamTransmuxer t(&w);
    std::string sh = flv_aac(0, std::string("\x12\x10", 2));
    std::string f1 = flv_aac(1, std::string(100, 'a'));
    // A raw frame before the config is dropped.
    ASSERT_TRUE(t.write_audio(0, f1.data(), (int)f1.size()) == srs_success);
    EXPECT_TRUE(w.bytes().empty());
    ASSERT_TRUE(t.write_audio(0, sh.data(), (int)sh.size()) == srs_success);
    ASSERT_TRUE(t.write_audio(0, f1.data(), (int)f1.size()) == srs_success);
    ASSERT_EQ(107u, w.bytes().size());
    EXPECT_EQ(std::string("\xff\xf1\x50\x80\x0d\x7f\xfc", 7), w.bytes().substr(0, 7));
    EXPECT_EQ(std::string(100, 'a'), w.bytes().substr(7));

    // Batches: video and non-AAC skipped, one writev.
    w.bytes().clear();
    std::vector<SrsMediaMessage> msgs;
    msgs.push_back(SrsMediaMessage::create(SrsMsgAudio, 0, 1, f1.data(), (int)f1.size()));
    msgs.push_back(SrsMediaMessage::create(SrsMsgVideo, 0, 1, "\x17\x01\x00\x00\x00", 5));
    msgs.push_back(SrsMediaMessage::create(SrsMsgAudio, 23, 1, f1.data(), (int)f1.size()));
    int calls = w.calls();
    ASSERT_TRUE(t.write_messages(msgs.data(), (int)msgs.size()) == srs_success);
    EXPECT_EQ(calls + 1, w.calls());
    EXPECT_EQ(214u, w.bytes().size());
    EXPECT_EQ(w.bytes().substr(0, 107), w.bytes().substr(107));

    EXPECT_EQ(ERROR_KERNEL_AAC_DECODE, srs_error_code(t.write_audio(0, "\xaf", 1)));
}

TEST(KernelRawAudioTest, Mp3Stream) {
    SrsMemoryWriter w;
    SrsMp3StreamTransmuxer t(&w);
    const char tag[] = {0x2f, (char)0xff, (char)0xfb, (char)0x90, 0x64, 0x11};
    ASSERT_TRUE(t.write_audio(0, tag, sizeof(tag)) == srs_success);
    EXPECT_EQ(std::string(tag + 1, 5), w.bytes());
    // AAC is not MP3.
    ASSERT_TRUE(t.write_audio(0, "\xaf\x01\x00", 3) == srs_success);
    EXPECT_EQ(5u, w.bytes().size());
    std::vector<SrsMediaMessage> msgs(3, SrsMediaMessage::create(SrsMsgAudio, 0, 1, tag, sizeof(tag)));
    ASSERT_TRUE(t.write_messages(msgs.data(), 3) == srs_success);
    EXPECT_EQ(20u, w.bytes().size());
}
