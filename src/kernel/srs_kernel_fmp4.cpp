#include <srs_kernel_fmp4.hpp>

#include <srs_core_log.hpp>
#include <srs_kernel_codec.hpp>
#include <srs_kernel_mp4_box.hpp>

#include <algorithm>
#include <cstdlib>

namespace {

void brands(SrsMp4BoxWriter* b, const char* type, const char* major, std::initializer_list<const char*> compatible) {
    b->begin(type);
    b->fourcc(major);
    b->u32(0);  // minor_version
    for (const char* c : compatible) {
        b->fourcc(c);
    }
    b->end();
}

// Milliseconds to a timescale, and back rounding up (an end time must not move earlier).
int64_t ms_to_ts(int64_t ms, uint32_t timescale) {
    return ms * (int64_t)timescale / 1000;
}
int64_t ts_to_ms_ceil(int64_t v, uint32_t timescale) {
    return (v * 1000 + timescale - 1) / (int64_t)timescale;
}

}  // namespace

std::string srs_fmp4_ftyp() {
    SrsMp4BoxWriter b;
    brands(&b, "ftyp", "iso6", {"iso6", "cmfc", "iso5", "dash"});
    return b.str();
}

std::string srs_fmp4_styp() {
    SrsMp4BoxWriter b;
    brands(&b, "styp", "msdh", {"msdh", "msix", "cmfs"});
    return b.str();
}

std::string srs_fmp4_moov(const std::vector<const SrsMp4Track*>& tracks) {
    uint32_t next_id = 1;
    for (const SrsMp4Track* t : tracks) {
        next_id = std::max(next_id, t->id + 1);
    }
    SrsMp4BoxWriter b;
    b.begin("moov");
    // A live presentation has no duration yet (14496-12 8.8.1: the fragments extend it).
    b.bytes(srs_mp4_mvhd(0, next_id));
    for (const SrsMp4Track* t : tracks) {
        b.bytes(srs_mp4_trak(*t, true));
    }
    // 14496-12 8.8.1 mvex, 8.8.3 trex: defaults are all given per sample in each trun.
    b.begin("mvex");
    for (const SrsMp4Track* t : tracks) {
        b.begin_full("trex", 0, 0);
        b.u32(t->id);
        b.u32(1);  // default_sample_description_index
        b.u32(0);  // default_sample_duration
        b.u32(0);  // default_sample_size
        b.u32(0);  // default_sample_flags
        b.end();
    }
    b.end();
    b.end();
    return b.str();
}

std::string srs_fmp4_moof(uint32_t sequence_number, const std::vector<SrsFmp4Run>& runs) {
    SrsMp4BoxWriter b;
    b.begin("moof");
    // 14496-12 8.8.5 mfhd.
    b.begin_full("mfhd", 0, 0);
    b.u32(sequence_number);
    b.end();
    std::vector<size_t> offsets;
    for (const SrsFmp4Run& r : runs) {
        // 8.8.7 tfhd, flags 0x020000 default-base-is-moof (CMAF 7.5.16: no base_data_offset).
        b.begin("traf");
        b.begin_full("tfhd", 0, 0x020000);
        b.u32(r.track_id);
        b.end();
        // 8.8.12 tfdt, version 1: a 64-bit decode time never wraps.
        b.begin_full("tfdt", 1, 0);
        b.u64(r.samples.empty() ? 0 : (uint64_t)r.samples.front().dts);
        b.end();
        // 8.8.8 trun: data-offset-present 0x1, then per sample duration 0x100, size 0x200,
        // flags 0x400 and, when any is non-zero, composition offset 0x800 (signed in version 1).
        bool cts = false, negative = false;
        for (const SrsFmp4Sample& s : r.samples) {
            cts |= s.cts != 0;
            negative |= s.cts < 0;
        }
        b.begin_full("trun", negative ? 1 : 0, 0x000001 | 0x100 | 0x200 | 0x400 | (cts ? 0x800 : 0));
        b.u32((uint32_t)r.samples.size());
        offsets.push_back(b.pos());
        b.u32(0);
        for (const SrsFmp4Sample& s : r.samples) {
            b.u32(s.duration);
            b.u32(s.size);
            b.u32(s.sync ? SRS_FMP4_FLAGS_SYNC : SRS_FMP4_FLAGS_NON_SYNC);
            if (cts) {
                b.u32((uint32_t)s.cts);
            }
        }
        b.end();
        b.end();
    }
    b.end();
    // The mdat's payload starts after the moof and the mdat's 8-byte header; each run's bytes
    // follow the previous run's.
    uint64_t at = b.pos() + 8;
    for (size_t i = 0; i < runs.size(); i++) {
        b.patch32(offsets[i], (uint32_t)at);
        for (const SrsFmp4Sample& s : runs[i].samples) {
            at += s.size;
        }
    }
    return b.str();
}

std::string srs_fmp4_mdat_header(uint64_t payload) {
    SrsMp4BoxWriter b;
    if (payload + 8 <= 0xffffffffULL) {
        b.u32((uint32_t)(payload + 8));
        b.fourcc("mdat");
    } else {
        b.u32(1);
        b.fourcc("mdat");
        b.u64(payload + 16);
    }
    return b.str();
}

srs_error_t srs_fmp4_track_setup(const SrsFormat& format, SrsMp4TrackKind kind, SrsMp4Track* t, uint32_t* frame_samples,
                                 bool* ready) {
    srs_error_t err = srs_success;
    *frame_samples = 0;
    *ready = false;
    t->kind = kind;
    if (kind == SrsMp4TrackKind::Video) {
        if (!srs_mp4_video_supported(format.vcodec().id)) {
            return err;
        }
        srs_mp4_track_set_video(format.vcodec(), t);
        t->id = 1;
        t->timescale = SRS_FMP4_VIDEO_TIMESCALE;
        *ready = true;
        return err;
    }
    if ((err = srs_mp4_track_set_audio(format, t, ready)) != srs_success || !*ready) {
        return err;
    }
    if (t->sample_rate <= 0) {
        *ready = false;
        return err;
    }
    t->id = 2;
    // Audio counts its own samples: a frame is a whole number of ticks (Opus: 48 kHz, its
    // decoding rate, whatever the encoder's input was).
    t->timescale = (uint32_t)t->sample_rate;
    // The codecs whose frames have a fixed number of samples: 14496-3 4.5.1.1, an AAC-LC/Main
    // raw_data_block is 1024 (HE-AAC's rate in the config may be the core's or the output's, so
    // it is not snapped); an MPEG-1 layer III frame 1152 (11172-3 2.4.2.1); an AC-3 syncframe
    // 1536 (ETSI TS 102 366 4.1; E-AC-3 frames may hold 1, 2, 3 or 6 blocks). Opus packets are
    // 2.5 to 120 ms.
    SrsAudioCodecId codec = srs_mp4_track_acodec(*t);
    SrsAacObjectType aac = format.acodec().aac_object;
    if (codec == SrsAudioCodecIdAAC && (aac == SrsAacObjectTypeAacLC || aac == SrsAacObjectTypeAacMain)) {
        *frame_samples = 1024;
    } else if (codec == SrsAudioCodecIdMP3 && t->mp3_version == 1) {
        *frame_samples = 1152;
    } else if (codec == SrsAudioCodecIdAC3) {
        *frame_samples = 1536;
    }
    return err;
}

int64_t SrsFmp4Muxer::Track::end() const {
    if (samples.empty()) {
        return tail_end;
    }
    return samples.back().dts + samples.back().duration;
}

uint32_t SrsFmp4Muxer::Track::default_duration() const {
    if (last_duration > 0) {
        return last_duration;
    }
    if (frame_samples > 0) {
        return frame_samples;
    }
    // One frame at 25 fps, or 20 ms of audio.
    return mp4.kind == SrsMp4TrackKind::Video ? mp4.timescale / 25 : mp4.timescale / 50;
}

SrsFmp4Muxer::SrsFmp4Muxer() : format_(std::make_unique<SrsFormat>()) {
    video_.mp4.kind = SrsMp4TrackKind::Video;
    video_.mp4.id = 1;
    video_.mp4.timescale = SRS_FMP4_VIDEO_TIMESCALE;
    audio_.mp4.kind = SrsMp4TrackKind::Audio;
    audio_.mp4.id = 2;
}

SrsFmp4Muxer::~SrsFmp4Muxer() = default;

bool SrsFmp4Muxer::ready(bool want_video, bool want_audio) const {
    if (!video_.described() && !audio_.described()) {
        return false;
    }
    return (!want_video || video_.described()) && (!want_audio || audio_.described());
}

std::string SrsFmp4Muxer::init_segment() const {
    std::vector<const SrsMp4Track*> tracks;
    if (video_.described()) {
        tracks.push_back(&video_.mp4);
    }
    if (audio_.described()) {
        tracks.push_back(&audio_.mp4);
    }
    return srs_fmp4_ftyp() + srs_fmp4_moov(tracks);
}

srs_error_t SrsFmp4Muxer::write_video(int64_t timestamp, const char* data, int size) {
    srs_error_t err = srs_success;
    input_ = SrsFmp4Input();
    // A tag that does not parse is the publisher's problem: dropped, the stream goes on.
    if ((err = format_->on_video(timestamp, data, size)) != srs_success) {
        srs_warn("fmp4: video tag dropped: %s", srs_error_desc(err).c_str());
        srs_error_reset(err);
        return srs_success;
    }
    const SrsVideoFrame& f = format_->video();
    if (f.is_sequence_header()) {
        SrsMp4Track t = video_.mp4;
        uint32_t frame_samples = 0;
        bool ready = false;
        if ((err = srs_fmp4_track_setup(*format_, SrsMp4TrackKind::Video, &t, &frame_samples, &ready)) != srs_success ||
            !ready) {
            if (!warned_video_) {
                srs_warn("fmp4: video codec %s not supported, video dropped: %s",
                         srs_video_codec_id2str(format_->vcodec().id), srs_error_desc(err).c_str());
                warned_video_ = true;
            }
            srs_error_reset(err);
            return srs_success;
        }
        // A repeated sequence header keeps the track (and the VP9 size its key frame gave).
        if (!video_.configured || !srs_mp4_track_same_entry(t, video_.mp4)) {
            video_.mp4 = t;
            video_.frame_samples = frame_samples;
            video_.configured = true;
            config_version_++;
        }
        return err;
    }
    if (!video_.configured || f.codec != video_.mp4.vcodec) {
        return err;
    }
    bool key = f.keyframe || f.has_idr;
    if (wait_keyframe_ && !key) {
        return err;
    }
    bool was_complete = video_.described();
    uint32_t bytes = 0;
    err = srs_mp4_video_sample(f, format_->vcodec().nalu_length_size, &video_.mp4, &prefixes_, &obus_, &iovs_, &bytes);
    if (err != srs_success) {
        srs_warn("fmp4: video frame dropped: %s", srs_error_desc(err).c_str());
        srs_error_reset(err);
        return srs_success;
    }
    // Nothing to carry, or a VP9 track that still waits for a key frame with its size.
    if (bytes == 0 || !video_.described()) {
        return err;
    }
    if (!was_complete) {
        config_version_++;
    }
    wait_keyframe_ = false;

    size_t before = video_.data.size();
    for (const iovec& v : iovs_) {
        video_.data.append((const char*)v.iov_base, v.iov_len);
    }
    bool queued = false;
    if ((err = queue(&video_, f.dts, f.cts, key, &queued)) != srs_success || !queued) {
        video_.data.resize(before);
        if (err != srs_success) {
            return srs_error_wrap(err, "fmp4 video");
        }
        return err;
    }
    video_.samples.back().size = (uint32_t)(video_.data.size() - before);
    input_.sample = true;
    input_.video = true;
    input_.keyframe = key;
    input_.timestamp = f.dts;
    input_.cts = f.cts;
    return err;
}

srs_error_t SrsFmp4Muxer::write_audio(int64_t timestamp, const char* data, int size) {
    srs_error_t err = srs_success;
    input_ = SrsFmp4Input();
    // A tag that does not parse, or a codec MP4 cannot carry, is dropped: the file goes on.
    SrsAudioCodecId id = srs_mp4_parse_audio(format_.get(), timestamp, data, size, "fmp4", &warned_audio_);
    if (id == SrsAudioCodecIdReserved) {
        return err;
    }
    const SrsAudioFrame& f = format_->audio();
    // A sequence header, or a frame that configures the codecs without one (MP3, AC-3, E-AC-3).
    if (f.sequence_header || !audio_.configured) {
        SrsMp4Track t = audio_.mp4;
        uint32_t frame_samples = 0;
        bool ready = false;
        if ((err = srs_fmp4_track_setup(*format_, SrsMp4TrackKind::Audio, &t, &frame_samples, &ready)) != srs_success) {
            srs_warn("fmp4: audio tag dropped: %s", srs_error_desc(err).c_str());
            srs_error_reset(err);
            return srs_success;
        }
        if (ready && (!audio_.configured || !srs_mp4_track_same_entry(t, audio_.mp4))) {
            // A new rate is a new timescale: the times so far mean nothing in it.
            if (audio_.configured && t.timescale != audio_.mp4.timescale && audio_.last_dts >= 0) {
                int64_t end_ms = ts_to_ms_ceil(audio_.end(), audio_.mp4.timescale);
                audio_.samples.clear();
                audio_.data.clear();
                audio_.known = 0;
                audio_.last_dts = ms_to_ts(end_ms, t.timescale);
                audio_.tail_end = audio_.last_dts;
                audio_.last_duration = 0;
            }
            audio_.mp4 = t;
            audio_.frame_samples = frame_samples;
            audio_.configured = true;
            config_version_++;
        }
    }
    if (f.sequence_header || !audio_.configured || f.samples.empty() || id != audio_.mp4.acodec) {
        return err;
    }
    // Both tracks start at the first video keyframe.
    if (wait_keyframe_ && video_.configured) {
        return err;
    }
    size_t before = audio_.data.size();
    for (const SrsSample& s : f.samples) {
        audio_.data.append(s.data, s.size);
    }
    bool queued = false;
    if ((err = queue(&audio_, f.dts, 0, true, &queued)) != srs_success || !queued) {
        audio_.data.resize(before);
        if (err != srs_success) {
            return srs_error_wrap(err, "fmp4 audio");
        }
        return err;
    }
    audio_.samples.back().size = (uint32_t)(audio_.data.size() - before);
    input_.sample = true;
    input_.timestamp = f.dts;
    return err;
}

int64_t SrsFmp4Muxer::map_time(Track* t, int64_t timestamp) {
    int64_t v = ms_to_ts(timestamp + offset_ms_, t->mp4.timescale);
    // The publisher's clock went back by more than a second, or on by more than 10 s (a
    // restart without an unpublish, a paused encoder): a new epoch, as for a republish, so the
    // players see neither time going back nor a gap they would stall on.
    int64_t jump = v - t->last_dts;
    bool reset = t->last_dts >= 0 && (jump < -(int64_t)t->mp4.timescale || jump > 10 * (int64_t)t->mp4.timescale);
    if (!has_offset_ || reset) {
        // The first sample of the stream is time 0; the first of a later epoch continues after
        // the latest end of any track, so no track goes back.
        int64_t end_ms = 0;
        for (const Track* x : {&video_, &audio_}) {
            if (x->last_dts >= 0) {
                end_ms = std::max(end_ms, ts_to_ms_ceil(x->end(), x->mp4.timescale));
            }
        }
        offset_ms_ = end_ms - timestamp;
        has_offset_ = true;
        v = ms_to_ts(timestamp + offset_ms_, t->mp4.timescale);
    }
    if (t->frame_samples > 0 && t->last_dts >= 0) {
        int64_t expected = t->last_dts + t->frame_samples;
        if (std::llabs(v - expected) <= t->frame_samples / 2) {
            v = expected;
        }
    }
    return v;
}

srs_error_t SrsFmp4Muxer::queue(Track* t, int64_t timestamp, int32_t cts_ms, bool sync, bool* queued) {
    *queued = false;
    int64_t v = map_time(t, timestamp);
    // A track's first sample before the stream's time 0 (audio a few ms ahead of the first
    // keyframe) is dropped: every track starts at 0 or later.
    if (v < 0 && t->last_dts < 0) {
        return srs_success;
    }
    v = std::max<int64_t>(v, 0);
    int64_t cts = ms_to_ts(cts_ms, t->mp4.timescale);
    // The earliest time the sample may take: the held-back sample's dts, or the end of a
    // sample whose duration is final (cut with a guessed one, or before a new epoch). A step
    // back of less than a second keeps that time (a zero duration) and the sample's pts.
    if (t->last_dts >= 0) {
        int64_t floor = t->samples.size() > t->known ? t->last_dts : t->end();
        if (v < floor) {
            // Audio has no composition offsets: its pts moves with its dts.
            if (t->mp4.kind == SrsMp4TrackKind::Video) {
                cts += v - floor;
            }
            v = floor;
        }
    }
    if (cts > INT32_MAX || cts < INT32_MIN) {
        return srs_error_new(ERROR_KERNEL_MP4_MUX, "fmp4: composition offset %lld out of range", (long long)cts);
    }
    if (t->samples.size() > t->known) {
        uint64_t d = (uint64_t)(v - t->samples.back().dts);
        if (d > UINT32_MAX) {
            d = t->default_duration();
        }
        t->samples.back().duration = (uint32_t)d;
        t->last_duration = (uint32_t)d;
    }
    t->known = t->samples.size();
    SrsFmp4Sample s;
    s.dts = v;
    s.cts = (int32_t)cts;
    s.sync = sync;
    s.duration = t->default_duration();
    t->samples.push_back(s);
    t->last_dts = v;
    *queued = true;
    return srs_success;
}

bool SrsFmp4Muxer::has_fragment() const {
    return video_.known > 0 || audio_.known > 0;
}

int64_t SrsFmp4Muxer::queued_ms() const {
    int64_t ms = 0;
    for (const Track* t : {&video_, &audio_}) {
        if (t->samples.size() >= 2) {
            int64_t span = t->samples.back().dts - t->samples.front().dts;
            ms = std::max(ms, span * 1000 / (int64_t)t->mp4.timescale);
        }
    }
    return ms;
}

srs_error_t SrsFmp4Muxer::fragment(bool styp, std::string* out) {
    return cut(false, styp, out);
}

srs_error_t SrsFmp4Muxer::flush(bool styp, std::string* out) {
    return cut(true, styp, out);
}

srs_error_t SrsFmp4Muxer::cut(bool all, bool styp, std::string* out) {
    runs_.clear();
    uint64_t payload = 0;
    for (Track* t : {&video_, &audio_}) {
        size_t n = all ? t->samples.size() : t->known;
        if (n == 0) {
            continue;
        }
        SrsFmp4Run r;
        r.track_id = t->mp4.id;
        r.samples.assign(t->samples.begin(), t->samples.begin() + n);
        for (const SrsFmp4Sample& s : r.samples) {
            payload += s.size;
        }
        runs_.push_back(std::move(r));
    }
    if (runs_.empty()) {
        return srs_success;
    }
    if (styp) {
        out->append(srs_fmp4_styp());
    }
    // 14496-12 8.8.5: sequence numbers increase in the order the fragments are made.
    out->append(srs_fmp4_moof(++sequence_, runs_));
    out->append(srs_fmp4_mdat_header(payload));
    for (Track* t : {&video_, &audio_}) {
        size_t n = all ? t->samples.size() : t->known;
        if (n == 0) {
            continue;
        }
        size_t bytes = 0;
        for (size_t i = 0; i < n; i++) {
            bytes += t->samples[i].size;
        }
        out->append(t->data, 0, bytes);
        t->data.erase(0, bytes);
        const SrsFmp4Sample& last = t->samples[n - 1];
        t->tail_end = last.dts + last.duration;
        t->samples.erase(t->samples.begin(), t->samples.begin() + n);
        t->known = n >= t->known ? 0 : t->known - n;
    }
    return srs_success;
}

void SrsFmp4Muxer::new_epoch() {
    for (Track* t : {&video_, &audio_}) {
        t->known = t->samples.size();
    }
    has_offset_ = false;
}

void SrsFmp4Muxer::discard() {
    for (Track* t : {&video_, &audio_}) {
        if (!t->samples.empty()) {
            t->tail_end = t->end();
        }
        t->samples.clear();
        t->data.clear();
        t->known = 0;
    }
    wait_keyframe_ = true;
}
