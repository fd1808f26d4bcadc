#include <gtest/gtest.h>

#include <srs_kernel_aac.hpp>
#include <srs_kernel_codec.hpp>

TEST(KernelAacTest, AdtsHeaderForLc44100Stereo) {
    SrsAudioCodecConfig cfg;
    const char asc[] = {0x12, 0x10};
    ASSERT_TRUE(srs_aac_parse_asc(asc, 2, &cfg) == srs_success);
    char h[SRS_ADTS_HEADER_SIZE];
    ASSERT_TRUE(srs_adts_write_header(cfg, 100, h) == srs_success);
    // frame_length 107 = 0b00000_01101011: 0x80|0, 107>>3=13=0x0d, (107&7)<<5|0x1f=0x7f, 0xfc.
    const unsigned char expect[] = {0xff, 0xf1, 0x50, 0x80, 0x0d, 0x7f, 0xfc};
    EXPECT_EQ(0, memcmp(expect, h, sizeof(expect)));

    SrsAdtsHeader parsed;
    std::string frame(h, sizeof(h));
    frame.append(100, '\0');
    ASSERT_TRUE(srs_adts_parse_header(frame.data(), (int)frame.size(), &parsed) == srs_success);
    EXPECT_EQ(2, parsed.object);
    EXPECT_EQ(4, parsed.sample_rate_index);
    EXPECT_EQ(2, parsed.channel_config);
    EXPECT_EQ(107, parsed.frame_length);
    EXPECT_EQ(7, parsed.header_size);
}

TEST(KernelAacTest, AdtsHeaderForOtherConfigs) {
    char h[SRS_ADTS_HEADER_SIZE];
    // 48000 (index 3) mono LC, a large frame: 2000 + 7 = 2007 = 0x7d7.
    ASSERT_TRUE(srs_adts_write_header(2, 3, 1, 2000, h) == srs_success);
    const unsigned char expect[] = {0xff, 0xf1, 0x4c, 0x40, 0xfa, 0xff, 0xfc};
    EXPECT_EQ(0, memcmp(expect, h, sizeof(expect)));

    // 5.1 (channel configuration 6) uses the high channel bit in byte 2.
    ASSERT_TRUE(srs_adts_write_header(2, 4, 6, 10, h) == srs_success);
    EXPECT_EQ(0x51, (uint8_t)h[2]);
    EXPECT_EQ(0x80, (uint8_t)h[3] & 0xc0);

    // HE-AAC is framed as its AAC-LC core at the core rate.
    SrsAudioCodecConfig he;
    const unsigned char asc[] = {0x2b, 0x11, 0x88};
    ASSERT_TRUE(srs_aac_parse_asc((const char*)asc, 3, &he) == srs_success);
    ASSERT_TRUE(srs_adts_write_header(he, 10, h) == srs_success);
    EXPECT_EQ(0x58, (uint8_t)h[2]);  // profile 1 (LC), index 6

    // Explicit 48000 maps to its table index; an off-table rate cannot be framed.
    SrsAudioCodecConfig ex;
    const unsigned char asc48[] = {0x17, 0x80, 0x5d, 0xc0, 0x08};
    ASSERT_TRUE(srs_aac_parse_asc((const char*)asc48, 5, &ex) == srs_success);
    ASSERT_TRUE(srs_adts_write_header(ex, 10, h) == srs_success);
    EXPECT_EQ(3, ((uint8_t)h[2] >> 2) & 0x0f);
    ex.sample_rate = 47999;
    EXPECT_EQ(ERROR_KERNEL_AAC_DECODE, srs_error_code(srs_adts_write_header(ex, 10, h)));
}

TEST(KernelAacTest, AdtsErrors) {
    char h[SRS_ADTS_HEADER_SIZE];
    EXPECT_EQ(ERROR_KERNEL_AAC_DECODE, srs_error_code(srs_adts_write_header(5, 4, 2, 10, h)));
    EXPECT_EQ(ERROR_KERNEL_AAC_DECODE, srs_error_code(srs_adts_write_header(2, 13, 2, 10, h)));
    EXPECT_EQ(ERROR_KERNEL_AAC_DECODE, srs_error_code(srs_adts_write_header(2, 4, 8, 10, h)));
    EXPECT_EQ(ERROR_KERNEL_AAC_DECODE, srs_error_code(srs_adts_write_header(2, 4, 2, 8185, h)));
    EXPECT_TRUE(srs_adts_write_header(2, 4, 2, 8184, h) == srs_success);

    SrsAdtsHeader p;
    EXPECT_EQ(ERROR_KERNEL_AAC_DECODE, srs_error_code(srs_adts_parse_header(h, 6, &p)));
    // The frame length says 8191 bytes but only 7 are there.
    EXPECT_EQ(ERROR_KERNEL_AAC_DECODE, srs_error_code(srs_adts_parse_header(h, 7, &p)));
    const char nosync[] = {0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};
    EXPECT_EQ(ERROR_KERNEL_AAC_DECODE, srs_error_code(srs_adts_parse_header(nosync, 7, &p)));
}
