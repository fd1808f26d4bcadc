// Readers for the tests of the MP4 writers (DVR MP4, fMP4) and of the Annex B outputs: big-endian
// fields, a box found by its path, an Annex B stream split into NALUs or HEVC access units.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace srs_utest {

inline uint32_t rb32(const std::string& s, size_t at) {
    return ((uint32_t)(uint8_t)s[at] << 24) | ((uint32_t)(uint8_t)s[at + 1] << 16) |
           ((uint32_t)(uint8_t)s[at + 2] << 8) | (uint32_t)(uint8_t)s[at + 3];
}
inline uint64_t rb64(const std::string& s, size_t at) {
    return ((uint64_t)rb32(s, at) << 32) | rb32(s, at + 4);
}

// The box at a path of nested containers ("moov/trak/mdia", "moof/traf/trun"), the whole box
// (a 64-bit largesize is read too); index picks among the siblings of the last type. Empty when
// absent or when a size is out of bounds.
inline std::string find_box(const std::string& data, const std::vector<std::string>& path, int index = 0) {
    std::string cur = data;
    size_t start = 0;
    for (size_t level = 0; level < path.size(); level++) {
        bool found = false;
        int seen = 0;
        size_t at = start;
        while (at + 8 <= cur.size()) {
            uint64_t size = rb32(cur, at);
            std::string type = cur.substr(at + 4, 4);
            if (size == 1) {
                if (at + 16 > cur.size()) {
                    return "";
                }
                size = rb64(cur, at + 8);
            }
            if (size < 8 || at + size > cur.size()) {
                return "";
            }
            if (type == path[level] && (level + 1 < path.size() || seen++ == index)) {
                cur = cur.substr(at, size);
                start = 8;
                found = true;
                break;
            }
            at += size;
        }
        if (!found) {
            return "";
        }
    }
    return cur;
}

// Splits an Annex B stream into NALUs (without start codes).
inline std::vector<std::string> split_annexb(const std::string& s) {
    std::vector<std::string> out;
    size_t i = 0, start = std::string::npos;
    while (i + 3 <= s.size()) {
        if (s[i] == 0 && s[i + 1] == 0 && s[i + 2] == 1) {
            if (start != std::string::npos) {
                size_t end = i;
                while (end > start && s[end - 1] == 0) {
                    end--;
                }
                out.push_back(s.substr(start, end - start));
            }
            i += 3;
            start = i;
        } else {
            i++;
        }
    }
    if (start != std::string::npos && start < s.size()) {
        out.push_back(s.substr(start));
    }
    return out;
}

// An HEVC Annex B stream (libx265's) as access units: a new one starts at a VCL NALU whose
// first_slice_segment_in_pic_flag is set; SEI joins the next picture; the parameter sets go to
// vps, sps and pps instead.
inline std::vector<std::vector<std::string>> hevc_access_units(const std::string& annexb, std::string* vps,
                                                               std::string* sps, std::string* pps) {
    std::vector<std::vector<std::string>> aus;
    std::vector<std::string> pending;
    for (const std::string& n : split_annexb(annexb)) {
        int type = ((uint8_t)n[0] >> 1) & 0x3f;
        if (type == 32) {
            *vps = n;
        } else if (type == 33) {
            *sps = n;
        } else if (type == 34) {
            *pps = n;
        } else if (type < 32) {
            if (((uint8_t)n[2] & 0x80) || aus.empty()) {
                aus.push_back(pending);
                pending.clear();
            }
            aus.back().push_back(n);
        } else {
            pending.push_back(n);
        }
    }
    return aus;
}

// A small H.264 stream for the MP4 writers' tests: baseline 64x48 parameter sets (from x264),
// their avcC (14496-15 5.3.3.1), and FLV video tag bodies (E.4.3.1): the AVC sequence header and
// coded frames of one NALU.
inline std::string small_avc_sps() {
    return std::string("\x67\x42\xc0\x0a\xdc\x47\xb0\x11\x00\x00\x03\x00\x01\x00\x00\x03\x00\x32\x0f\x12\x27\x80", 22);
}
inline std::string small_avc_pps() {
    return std::string("\x68\xce\x0f\x2c\x80", 5);
}
inline std::string small_avcc() {
    return std::string("\x01\x42\xc0\x0a\xff\xe1\x00\x16", 8) + small_avc_sps() + std::string("\x01\x00\x05", 3) +
           small_avc_pps();
}
inline std::string flv_avc_sh() {
    return std::string("\x17\x00\x00\x00\x00", 5) + small_avcc();
}
inline std::string flv_avc_frame(bool key, int32_t cts, const std::string& nalu) {
    std::string s;
    s += key ? '\x17' : '\x27';
    s += '\x01';
    s += (char)((cts >> 16) & 0xff);
    s += (char)((cts >> 8) & 0xff);
    s += (char)(cts & 0xff);
    uint32_t n = nalu.size();
    s += std::string{(char)(n >> 24), (char)(n >> 16), (char)(n >> 8), (char)n};
    return s + nalu;
}

}  // namespace srs_utest
