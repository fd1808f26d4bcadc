// Shared media test vectors: real parameter sets from libx264/libx265 (640x360 testsrc2)
// and builders for FLV tag bodies.
#pragma once

#include <string>
#include <vector>

namespace srs_utest {

// libx264 High@3.0 640x360 SPS and PPS.
inline std::string avc_sps() {
    const unsigned char b[] = {0x67, 0x64, 0x00, 0x1e, 0xac, 0xd9, 0x40, 0xa0, 0x2f, 0xf9, 0x70, 0x11, 0x00,
                               0x00, 0x03, 0x00, 0x01, 0x00, 0x00, 0x03, 0x00, 0x32, 0x0f, 0x16, 0x2d, 0x96};
    return std::string((const char*)b, sizeof(b));
}
inline std::string avc_pps() {
    const unsigned char b[] = {0x68, 0xeb, 0xe3, 0xcb, 0x22, 0xc0};
    return std::string((const char*)b, sizeof(b));
}
// libx265 Main@2.1 640x360 VPS, SPS and PPS.
inline std::string hevc_vps() {
    const unsigned char b[] = {0x40, 0x01, 0x0c, 0x01, 0xff, 0xff, 0x01, 0x60, 0x00, 0x00, 0x03, 0x00,
                               0x90, 0x00, 0x00, 0x03, 0x00, 0x00, 0x03, 0x00, 0x3f, 0x95, 0x98, 0x09};
    return std::string((const char*)b, sizeof(b));
}
inline std::string hevc_sps() {
    const unsigned char b[] = {0x42, 0x01, 0x01, 0x01, 0x60, 0x00, 0x00, 0x03, 0x00, 0x90, 0x00, 0x00, 0x03, 0x00,
                               0x00, 0x03, 0x00, 0x3f, 0xa0, 0x05, 0x02, 0x01, 0x69, 0x65, 0x95, 0x9a, 0x49, 0x32,
                               0xbc, 0x05, 0xa0, 0x20, 0x00, 0x00, 0x03, 0x00, 0x20, 0x00, 0x00, 0x03, 0x03, 0x21};
    return std::string((const char*)b, sizeof(b));
}
inline std::string hevc_pps() {
    const unsigned char b[] = {0x44, 0x01, 0xc1, 0x72, 0xb4, 0x62, 0x40};
    return std::string((const char*)b, sizeof(b));
}

inline void put_be(std::string* s, uint32_t v, int bytes) {
    for (int i = bytes - 1; i >= 0; i--) {
        s->push_back((char)(v >> (8 * i)));
    }
}

// AVCDecoderConfigurationRecord with one SPS and one PPS (ISO 14496-15 5.3.3.1).
inline std::string make_avcc(const std::string& sps, const std::string& pps, int length_size = 4) {
    std::string r;
    r.push_back(0x01);
    r.push_back(sps[1]);
    r.push_back(sps[2]);
    r.push_back(sps[3]);
    r.push_back((char)(0xfc | (length_size - 1)));
    r.push_back((char)0xe1);
    put_be(&r, (uint32_t)sps.size(), 2);
    r += sps;
    r.push_back(0x01);
    put_be(&r, (uint32_t)pps.size(), 2);
    r += pps;
    return r;
}

// HEVCDecoderConfigurationRecord with VPS, SPS and PPS arrays (ISO 14496-15 8.3.3.1).
inline std::string make_hvcc(const std::string& vps, const std::string& sps, const std::string& pps) {
    std::string r;
    r.push_back(0x01);
    r.push_back(0x01);          // profile_space 0, tier 0, profile_idc 1 (Main)
    put_be(&r, 0x60000000, 4);  // compatibility flags
    put_be(&r, 0x9000, 2);      // constraint flags (48 bits)
    put_be(&r, 0x00000000, 4);
    r.push_back(63);          // level 2.1
    put_be(&r, 0xf000, 2);    // min_spatial_segmentation_idc
    r.push_back((char)0xfc);  // parallelismType
    r.push_back((char)0xfd);  // chroma 4:2:0
    r.push_back((char)0xf8);  // luma bit depth 8
    r.push_back((char)0xf8);  // chroma bit depth 8
    put_be(&r, 0, 2);         // avgFrameRate
    r.push_back(0x0f);        // 1 temporal layer, nested, lengthSizeMinusOne 3
    r.push_back(3);
    const std::string* sets[3] = {&vps, &sps, &pps};
    int types[3] = {32, 33, 34};
    for (int i = 0; i < 3; i++) {
        r.push_back((char)(0x80 | types[i]));
        put_be(&r, 1, 2);
        put_be(&r, (uint32_t)sets[i]->size(), 2);
        r += *sets[i];
    }
    return r;
}

// Legacy FLV video tag body: FrameType|CodecID, AVCPacketType, CompositionTime, data.
inline std::string flv_video(int frame_type, int codec, int packet_type, int cts, const std::string& data) {
    std::string r;
    r.push_back((char)((frame_type << 4) | codec));
    r.push_back((char)packet_type);
    put_be(&r, (uint32_t)cts & 0xffffff, 3);
    return r + data;
}

// Length-prefixed (4 bytes) NALUs.
inline std::string avcc_nalus(const std::vector<std::string>& nalus) {
    std::string r;
    for (const std::string& n : nalus) {
        put_be(&r, (uint32_t)n.size(), 4);
        r += n;
    }
    return r;
}

// FLV AAC tag body: 0xAF (AAC, 44 kHz, 16 bit, stereo), AACPacketType, data.
inline std::string flv_aac(int packet_type, const std::string& data) {
    std::string r;
    r.push_back((char)0xaf);
    r.push_back((char)packet_type);
    return r + data;
}

}  // namespace srs_utest
