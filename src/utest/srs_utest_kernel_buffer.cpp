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
    SrsBuffer b(data, sizeof(data));
    SrsBitBuffer bb(&b);
    uint32_t v = 99;
    ASSERT_TRUE(bb.read_ue(&v));
    EXPECT_EQ(0u, v);
    ASSERT_TRUE(bb.read_ue(&v));
    EXPECT_EQ(1u, v);
    ASSERT_TRUE(bb.read_ue(&v));
    EXPECT_EQ(2u, v);
    ASSERT_TRUE(bb.read_ue(&v));
    EXPECT_EQ(3u, v);
    int32_t s = 0;
    ASSERT_TRUE(bb.read_se(&s));
    EXPECT_EQ(-2, s);
    // Only zeros left: no terminating 1 bit.
    EXPECT_FALSE(bb.read_ue(&v));
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
