#include <gtest/gtest.h>

#include <srs_kernel_annexb.hpp>
#include <srs_kernel_codec.hpp>
#include <srs_utest_kernel_media.hpp>

using namespace srs_utest;

namespace {

const std::string kStart("\x00\x00\x00\x01", 4);

}  // namespace

TEST(KernelAnnexbTest, AvcKeyframeGetsAudAndParameterSets) {
    SrsFormat f;
    std::string sh = flv_video(1, 7, 0, 0, make_avcc(avc_sps(), avc_pps()));
    ASSERT_TRUE(f.on_video(0, sh.data(), (int)sh.size()) == srs_success);
    std::string sei("\x06\x05\x01\x80", 4), idr("\x65\x88\x84", 3);
    std::string key = flv_video(1, 7, 1, 0, avcc_nalus({sei, idr}));
    ASSERT_TRUE(f.on_video(0, key.data(), (int)key.size()) == srs_success);

    std::vector<char> out;
    srs_error_t err = srs_video_frame_to_annexb(f.vcodec(), f.video(), &out);
    ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
    std::string expect =
        kStart + std::string("\x09\xf0", 2) + kStart + avc_sps() + kStart + avc_pps() + kStart + sei + kStart + idr;
    EXPECT_EQ(expect, std::string(out.data(), out.size()));
}

TEST(KernelAnnexbTest, AvcInterFrameAndExistingAudAndSps) {
    SrsFormat f;
    std::string sh = flv_video(1, 7, 0, 0, make_avcc(avc_sps(), avc_pps()));
    ASSERT_TRUE(f.on_video(0, sh.data(), (int)sh.size()) == srs_success);

    // Inter frame: AUD only; an AUD in the frame is replaced, not duplicated.
    std::string aud("\x09\x30", 2), slice("\x41\x9a\x02", 3);
    std::string p = flv_video(2, 7, 1, 0, avcc_nalus({aud, slice}));
    ASSERT_TRUE(f.on_video(40, p.data(), (int)p.size()) == srs_success);
    std::vector<char> out;
    ASSERT_TRUE(srs_video_frame_to_annexb(f.vcodec(), f.video(), &out) == srs_success);
    EXPECT_EQ(kStart + std::string("\x09\xf0", 2) + kStart + slice, std::string(out.data(), out.size()));

    // A keyframe carrying its own SPS/PPS is not given a second copy.
    std::string sps2 = avc_sps(), pps2 = avc_pps(), idr("\x65\x88", 2);
    std::string k = flv_video(1, 7, 1, 0, avcc_nalus({sps2, pps2, idr}));
    ASSERT_TRUE(f.on_video(80, k.data(), (int)k.size()) == srs_success);
    out.clear();
    ASSERT_TRUE(srs_video_frame_to_annexb(f.vcodec(), f.video(), &out) == srs_success);
    EXPECT_EQ(kStart + std::string("\x09\xf0", 2) + kStart + sps2 + kStart + pps2 + kStart + idr,
              std::string(out.data(), out.size()));
}

TEST(KernelAnnexbTest, HevcKeyframeGetsHevcAudAndVpsSpsPps) {
    SrsFormat f;
    std::string sh = flv_video(1, 12, 0, 0, make_hvcc(hevc_vps(), hevc_sps(), hevc_pps()));
    ASSERT_TRUE(f.on_video(0, sh.data(), (int)sh.size()) == srs_success);
    std::string idr("\x26\x01\xaf", 3);
    std::string key = flv_video(1, 12, 1, 0, avcc_nalus({idr}));
    ASSERT_TRUE(f.on_video(0, key.data(), (int)key.size()) == srs_success);
    std::vector<char> out;
    ASSERT_TRUE(srs_video_frame_to_annexb(f.vcodec(), f.video(), &out) == srs_success);
    std::string expect = kStart + std::string("\x46\x01\x50", 3) + kStart + hevc_vps() + kStart + hevc_sps() + kStart +
                         hevc_pps() + kStart + idr;
    EXPECT_EQ(expect, std::string(out.data(), out.size()));
}

TEST(KernelAnnexbTest, UnsupportedCodec) {
    SrsVideoCodecConfig cfg;
    cfg.id = SrsVideoCodecIdAV1;
    SrsVideoFrame frame;
    std::vector<char> out;
    EXPECT_EQ(ERROR_KERNEL_CODEC_UNSUPPORTED, srs_error_code(srs_video_frame_to_annexb(cfg, frame, &out)));
}
