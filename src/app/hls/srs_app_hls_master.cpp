#include <srs_app_hls_master.hpp>

#include <srs_app_hls_muxer.hpp>
#include <srs_kernel_path.hpp>

#include <srs_core_utility.hpp>
#include <srs_kernel_codec.hpp>
#include <srs_kernel_codec_string.hpp>
#include <srs_kernel_message.hpp>

#include <algorithm>
#include <cinttypes>
#include <cmath>
#include <cstdio>

std::string srs_hls_stream_inf_attributes(const SrsHlsVariant& v) {
    // BANDWIDTH is REQUIRED and must not be 0 to mean anything; before the first segment the
    // rate is unknown, and 1 (what SRS says then) tells a player nothing wrong.
    char buf[96];
    snprintf(buf, sizeof(buf), "BANDWIDTH=%" PRId64 ",AVERAGE-BANDWIDTH=%" PRId64, v.bandwidth > 0 ? v.bandwidth : 1,
             v.average_bandwidth > 0 ? v.average_bandwidth : 1);
    std::string out = buf;
    if (!v.codecs.empty()) {
        out += ",CODECS=\"" + v.codecs + "\"";
    }
    if (v.width > 0 && v.height > 0) {
        snprintf(buf, sizeof(buf), ",RESOLUTION=%dx%d", v.width, v.height);
        out += buf;
    }
    return out;
}

std::string srs_hls_multivariant_playlist(const SrsHlsVariant& v) {
    return "#EXTM3U\n#EXT-X-STREAM-INF:" + srs_hls_stream_inf_attributes(v) + "\n" + v.uri + "\n";
}

std::string srs_hls_stream_inf_of(const std::string& playlist) {
    const std::string tag = "#EXT-X-STREAM-INF:";
    size_t pos = playlist.find(tag);
    if (pos == std::string::npos) {
        return "";
    }
    pos += tag.size();
    size_t eol = playlist.find_first_of("\r\n", pos);
    return playlist.substr(pos, eol == std::string::npos ? std::string::npos : eol - pos);
}

bool srs_hls_is_multivariant(const std::string& playlist) {
    return playlist.find("#EXT-X-STREAM-INF:") != std::string::npos;
}

std::string srs_hls_master_rel(const std::string& m3u8_rel) {
    if (srs_string_ends_with(m3u8_rel, ".m3u8")) {
        return m3u8_rel.substr(0, m3u8_rel.size() - 5) + "-master.m3u8";
    }
    return m3u8_rel + "-master.m3u8";
}

namespace {

int64_t bits_per_second(int64_t bytes, int64_t ms) {
    return ms > 0 ? bytes * 8 * 1000 / ms : 0;
}

}  // namespace

int64_t srs_hls_peak_bandwidth(const std::vector<SrsHlsSegmentSize>& segments, int target_duration) {
    int64_t td_ms = (int64_t)(target_duration > 0 ? target_duration : 1) * 1000;
    int64_t peak = 0, single = 0;
    for (size_t i = 0; i < segments.size(); i++) {
        single = std::max(single, bits_per_second(segments[i].bytes, segments[i].duration_ms));
        int64_t bytes = 0, ms = 0;
        for (size_t j = i; j < segments.size(); j++) {
            bytes += segments[j].bytes;
            ms += segments[j].duration_ms;
            if (2 * ms > 3 * td_ms) {
                break;
            }
            if (2 * ms >= td_ms) {
                peak = std::max(peak, bits_per_second(bytes, ms));
            }
        }
    }
    return peak > 0 ? peak : single;
}

int64_t srs_hls_average_bandwidth(const std::vector<SrsHlsSegmentSize>& segments) {
    int64_t bytes = 0, ms = 0;
    for (const SrsHlsSegmentSize& s : segments) {
        bytes += s.bytes;
        ms += s.duration_ms;
    }
    return bits_per_second(bytes, ms);
}

SrsHlsStreamInfo::SrsHlsStreamInfo() : format_(std::make_unique<SrsFormat>()) {}

SrsHlsStreamInfo::~SrsHlsStreamInfo() = default;

void SrsHlsStreamInfo::on_video(const SrsMediaMessage& msg) {
    // Frames are parsed only until the size is known (VP9 says it in a key frame), so this
    // costs nothing per frame in the steady state.
    const SrsVideoCodecConfig& c = format_->vcodec();
    if (!msg.is_video_sequence_header() && format_->has_video_config() && c.width > 0) {
        return;
    }
    if (!msg.is_video_sequence_header() && !msg.is_keyframe()) {
        return;
    }
    srs_error_t err = format_->on_video(msg.timestamp, msg.data(), msg.size());
    // What does not parse says nothing: the muxer reports its own errors.
    srs_error_reset(err);
}

void SrsHlsStreamInfo::on_audio(const SrsMediaMessage& msg) {
    if (!msg.is_audio_sequence_header() && format_->has_audio_config()) {
        return;
    }
    srs_error_t err = format_->on_audio(msg.timestamp, msg.data(), msg.size());
    srs_error_reset(err);
}

void SrsHlsStreamInfo::reset() {
    format_ = std::make_unique<SrsFormat>();
}

std::string SrsHlsStreamInfo::codecs(bool ts) const {
    std::string out, s;
    if (format_->has_video_config()) {
        SrsVideoCodecId id = format_->vcodec().id;
        // What srs_kernel_ts muxes: the others are left out of a TS segment.
        bool carried = !ts || id == SrsVideoCodecIdAVC || id == SrsVideoCodecIdHEVC;
        srs_error_t err = carried ? srs_codec_string(format_->vcodec(), &s) : srs_success;
        if (carried && err == srs_success) {
            out = s;
        }
        srs_error_reset(err);
    }
    if (format_->has_audio_config()) {
        SrsAudioCodecId id = format_->acodec().id;
        bool carried = !ts || id == SrsAudioCodecIdAAC || id == SrsAudioCodecIdMP3 || id == SrsAudioCodecIdMP38kHz;
        srs_error_t err = carried ? srs_codec_string(format_->acodec(), &s) : srs_success;
        if (carried && err == srs_success) {
            out += (out.empty() ? "" : ",") + s;
        }
        srs_error_reset(err);
    }
    return out;
}

int SrsHlsStreamInfo::width() const {
    return format_->has_video_config() ? format_->vcodec().width : 0;
}

int SrsHlsStreamInfo::height() const {
    return format_->has_video_config() ? format_->vcodec().height : 0;
}

// The multivariant playlist of SrsHlsMuxer, rewritten with the media playlist when it changes.
srs_error_t SrsHlsMuxer::write_master() {
    srs_error_t err = srs_success;
    std::vector<SrsHlsSegmentSize> sizes;
    for (const SrsHlsSegment& seg : segments_) {
        SrsHlsSegmentSize z;
        z.bytes = seg.bytes;
        z.duration_ms = seg.duration_ms;
        sizes.push_back(z);
    }
    SrsHlsVariant v;
    int td = (int)ceil((double)config_.fragment / SRS_UTIME_SECONDS * config_.td_ratio - 0.0005);
    v.bandwidth = srs_hls_peak_bandwidth(sizes, td);
    v.average_bandwidth = srs_hls_average_bandwidth(sizes);
    v.codecs = info_.codecs(!config_.use_fmp4);
    v.width = info_.width();
    v.height = info_.height();
    std::string master = master_rel();
    v.uri = srs_path_relative_uri(master, m3u8_rel_);
    std::string text = srs_hls_multivariant_playlist(v);
    if (text == master_text_) {
        return srs_success;
    }
    if ((err = store_file(master, std::make_shared<const std::string>(text))) != srs_success) {
        return err;
    }
    master_text_ = std::move(text);
    return srs_success;
}
