#include <srs_kernel_codec_string.hpp>

#include <srs_kernel_codec_config.hpp>
#include <srs_kernel_mp4.hpp>

#include <cstdarg>
#include <cstdio>

namespace {

std::string format(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
std::string format(const char* fmt, ...) {
    char buf[128];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    return buf;
}

}  // namespace

srs_error_t srs_codec_string_avc(const std::string& avcc, std::string* out) {
    // 14496-15 5.3.3.1: configurationVersion, AVCProfileIndication, profile_compatibility,
    // AVCLevelIndication. Lower case hex, as FFmpeg and most packagers write it.
    if (avcc.size() < 4 || avcc[0] != 1) {
        return srs_error_new(ERROR_KERNEL_CODEC_UNSUPPORTED, "avc codec string: avcC of %d bytes", (int)avcc.size());
    }
    *out = format("avc1.%02x%02x%02x", (uint8_t)avcc[1], (uint8_t)avcc[2], (uint8_t)avcc[3]);
    return srs_success;
}

srs_error_t srs_codec_string_hevc(const std::string& hvcc, std::string* out, const char* fourcc) {
    SrsHevcConfigRecord rec;
    srs_error_t err = srs_hevc_parse_config_record(hvcc.data(), (int)hvcc.size(), &rec);
    if (err != srs_success) {
        return srs_error_wrap(err, "hevc codec string");
    }
    // 14496-15 E.3; the constraint flags are bytes 6 to 11 of the record (8.3.3.1), which the
    // parse above has checked are there.
    std::string s = fourcc;
    s += ".";
    if (rec.profile_space > 0) {
        s += (char)('A' + rec.profile_space - 1);
    }
    s += format("%d", rec.profile_idc);
    uint32_t reversed = 0;
    for (int i = 0; i < 32; i++) {
        if (rec.profile_compatibility_flags & (1u << i)) {
            reversed |= 1u << (31 - i);
        }
    }
    s += format(".%X.%c%d", reversed, rec.tier_flag ? 'H' : 'L', rec.level_idc);
    int last = 5;
    while (last >= 0 && hvcc[6 + last] == 0) {
        last--;
    }
    for (int i = 0; i <= last; i++) {
        s += format(".%02X", (uint8_t)hvcc[6 + i]);
    }
    *out = s;
    return srs_success;
}

srs_error_t srs_codec_string_av1(const std::string& av1c, std::string* out) {
    SrsAv1ConfigRecord rec;
    srs_error_t err = srs_av1_parse_config_record(av1c.data(), (int)av1c.size(), &rec);
    if (err != srs_success) {
        return srs_error_wrap(err, "av1 codec string");
    }
    // AV1-ISOBMFF 5: <sample entry 4CC>.<profile>.<level><tier>.<bitDepth>, then optionally
    // .<monochrome>.<chromaSubsampling>.<colorPrimaries>.<transferCharacteristics>
    // .<matrixCoefficients>.<videoFullRangeFlag>, all or none.
    std::string s =
        format("av01.%d.%02d%c.%02d", rec.seq_profile, rec.seq_level_idx, rec.seq_tier ? 'H' : 'M', rec.bit_depth);
    bool default_chroma =
        rec.chroma_subsampling_x == 1 && rec.chroma_subsampling_y == 1 && rec.chroma_sample_position == 0;
    if (rec.monochrome || !default_chroma) {
        s += format(".%d.%d%d%d.01.01.01.0", rec.monochrome ? 1 : 0, rec.chroma_subsampling_x, rec.chroma_subsampling_y,
                    rec.chroma_sample_position);
    }
    *out = s;
    return srs_success;
}

srs_error_t srs_codec_string_vp9(const std::string& vpcc, std::string* out) {
    SrsVpxConfigRecord rec;
    srs_error_t err = srs_vpx_parse_config_record(vpcc.data(), (int)vpcc.size(), &rec);
    if (err != srs_success) {
        return srs_error_wrap(err, "vp9 codec string");
    }
    // VP-ISOBMFF "Codecs Parameter String": vp09.PP.LL.DD[.CC.cp.tc.mc.FF]; the optional fields
    // default to 01.01.01.01.00 (4:2:0 colocated, BT.709, studio range).
    std::string s = format("vp09.%02d.%02d.%02d", rec.profile, rec.level, rec.bit_depth);
    auto named = [](int v) { return v != 1 && v != 2; };
    if (rec.chroma_subsampling > 1 || rec.full_range || named(rec.colour_primaries) ||
        named(rec.transfer_characteristics) || named(rec.matrix_coefficients)) {
        s += format(".%02d.%02d.%02d.%02d.%02d", rec.chroma_subsampling, rec.colour_primaries,
                    rec.transfer_characteristics, rec.matrix_coefficients, rec.full_range ? 1 : 0);
    }
    *out = s;
    return srs_success;
}

srs_error_t srs_codec_string_aac(const std::string& asc, std::string* out) {
    SrsAudioCodecConfig c;
    srs_error_t err = srs_aac_parse_asc(asc.data(), (int)asc.size(), &c);
    if (err != srs_success) {
        return srs_error_wrap(err, "aac codec string");
    }
    // RFC 6381 3.3: the OTI 0x40 (14496-3) then the decimal audioObjectType.
    *out = format("mp4a.40.%d", (int)c.aac_object);
    return srs_success;
}

std::string srs_codec_string_mp3(int mp3_version) {
    return mp3_version == 2 ? "mp4a.69" : "mp4a.6B";
}

std::string srs_codec_string_opus() {
    return "opus";
}

std::string srs_codec_string_ac3() {
    return "ac-3";
}

std::string srs_codec_string_eac3() {
    return "ec-3";
}

namespace {

// The string of a video codec from its configuration record (avcC, hvcC, av1C or vpcC).
srs_error_t video_codec_string(SrsVideoCodecId id, const std::string& record, std::string* out) {
    switch (id) {
        case SrsVideoCodecIdAVC:
            return srs_codec_string_avc(record, out);
        case SrsVideoCodecIdHEVC:
            return srs_codec_string_hevc(record, out);
        case SrsVideoCodecIdAV1:
            return srs_codec_string_av1(record, out);
        case SrsVideoCodecIdVP9:
            return srs_codec_string_vp9(record, out);
        default:
            return srs_error_new(ERROR_KERNEL_CODEC_UNSUPPORTED, "codec string: video codec %s",
                                 srs_video_codec_id2str(id));
    }
}

// The string of an audio codec; asc is AAC's AudioSpecificConfig.
srs_error_t audio_codec_string(SrsAudioCodecId id, const std::string& asc, int mp3_version, std::string* out) {
    switch (id) {
        case SrsAudioCodecIdAAC:
            return srs_codec_string_aac(asc, out);
        case SrsAudioCodecIdMP3:
        case SrsAudioCodecIdMP38kHz:
            *out = srs_codec_string_mp3(mp3_version);
            return srs_success;
        case SrsAudioCodecIdOpus:
            *out = srs_codec_string_opus();
            return srs_success;
        case SrsAudioCodecIdAC3:
            *out = srs_codec_string_ac3();
            return srs_success;
        case SrsAudioCodecIdEAC3:
            *out = srs_codec_string_eac3();
            return srs_success;
        default:
            return srs_error_new(ERROR_KERNEL_CODEC_UNSUPPORTED, "codec string: audio codec %s",
                                 srs_audio_codec_id2str(id));
    }
}

}  // namespace

srs_error_t srs_codec_string(const SrsVideoCodecConfig& c, std::string* out) {
    return video_codec_string(c.id, c.extra, out);
}

srs_error_t srs_codec_string(const SrsAudioCodecConfig& c, std::string* out) {
    return audio_codec_string(c.id, c.extra, c.mp3_version, out);
}

srs_error_t srs_codec_string(const SrsMp4Track& t, std::string* out) {
    if (t.kind == SrsMp4TrackKind::Video) {
        SrsVideoCodecId id = srs_mp4_track_vcodec(t);
        bool in_config = id == SrsVideoCodecIdAV1 || id == SrsVideoCodecIdVP9;
        return video_codec_string(id, in_config ? t.config : t.avcc, out);
    }
    return audio_codec_string(srs_mp4_track_acodec(t), t.asc, t.mp3_version, out);
}
