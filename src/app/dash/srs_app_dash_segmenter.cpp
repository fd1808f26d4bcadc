#include <srs_app_dash_segmenter.hpp>

#include <srs_app_dash_store.hpp>

#include <srs_core_log.hpp>
#include <srs_core_utility.hpp>
#include <srs_kernel_codec_string.hpp>
#include <srs_kernel_fmp4.hpp>
#include <srs_kernel_io.hpp>
#include <srs_kernel_path.hpp>

#include <unistd.h>

#include <algorithm>

#include <algorithm>
#include <cerrno>
#include <cinttypes>
#include <cstring>

namespace {

// A segment is never cut shorter than this (a burst of keyframes), and one without a keyframe
// for this many fragments (at least a minute) is cut anyway, so a broken stream cannot grow the
// queue without bound.
const int64_t kMinSegmentMs = 200;
const int64_t kMaxSegmentFragments = 10;
const int64_t kMaxSegmentMs = 60 * 1000;

void remove_file(const std::string& path) {
    if (::unlink(path.c_str()) < 0 && errno != ENOENT) {
        srs_warn("dash: delete %s: %s", path.c_str(), strerror(errno));
    }
}

int64_t run_duration(const SrsFmp4Run& r) {
    int64_t d = 0;
    for (const SrsFmp4Sample& s : r.samples) {
        d += s.duration;
    }
    return d;
}

}  // namespace

SrsDashStorage srs_dash_storage_from(const std::string& v) {
    if (v == "ram") {
        return SrsDashStorage::Ram;
    }
    if (v == "both") {
        return SrsDashStorage::Both;
    }
    return SrsDashStorage::Disk;
}

SrsDashSegmenter::SrsDashSegmenter(const std::string& vhost, const std::string& app, const std::string& stream,
                                   SrsDashMemoryStore* store)
    : vhost_(vhost), app_(app), stream_(stream), store_(store), muxer_(std::make_unique<SrsFmp4Muxer>()) {}

SrsDashSegmenter::~SrsDashSegmenter() = default;

std::string SrsDashSegmenter::full(const std::string& rel) const {
    return config_.path + "/" + rel;
}

srs_error_t SrsDashSegmenter::write_out(const std::string& rel, const std::string& content) {
    srs_error_t err = srs_success;
    if (config_.on_disk() && (err = srs_file_write_atomic(full(rel), content)) != srs_success) {
        return err;
    }
    if (config_.in_ram() && store_) {
        // The HTTP server's root is where dash_path is: "/" + the path below it.
        store_->put("/" + rel, std::make_shared<const std::string>(content));
    }
    return err;
}

void SrsDashSegmenter::drop(const std::string& rel) {
    if (config_.on_disk()) {
        remove_file(full(rel));
    }
    if (store_) {
        store_->remove("/" + rel);
    }
}

srs_utime_t SrsDashSegmenter::wall(srs_utime_t system_time) const {
    return system_time + wall_offset_;
}

srs_error_t SrsDashSegmenter::on_publish(const SrsDashConfig& config) {
    SrsPathTemplateValues values;
    values.vhost = vhost_;
    values.app = app_;
    values.stream = stream_;
    values.wall = srs_get_wall_time();
    std::string mpd_rel = srs_path_clean(srs_path_template_expand(config.mpd_file, values));
    if (mpd_rel.empty() || srs_string_starts_with(mpd_rel, "..") || !srs_string_ends_with(mpd_rel, ".mpd")) {
        return srs_error_new(ERROR_SYSTEM_CONFIG_INVALID,
                             "dash: invalid dash_mpd_file %s (a path below dash_path "
                             "ending in .mpd)",
                             config.mpd_file.c_str());
    }
    if (config.in_ram() && !store_) {
        return srs_error_new(ERROR_SYSTEM_CONFIG_INVALID, "dash: no RAM store for dash_storage ram");
    }
    // An MPD that moves (another path or storage) leaves nothing behind.
    if (configured_ && (mpd_rel != mpd_rel_ || config.path != config_.path || config.storage != config_.storage)) {
        dispose();
    }
    config_ = config;
    config_.window_size = std::max(1, config_.window_size);
    configured_ = true;
    mpd_rel_ = mpd_rel;
    // live/livestream.mpd -> segments in live/livestream/, named relative to the MPD.
    std::string base = mpd_rel_.substr(mpd_rel_.rfind('/') + 1);
    seg_dir_ = base.substr(0, base.size() - 4);
    publishing_ = true;
    // A republish (or a restart by reload): a new Period, decode times continuing.
    if (has_ast_) {
        muxer_->new_epoch();
        new_period_ = true;
    }
    return srs_success;
}

srs_error_t SrsDashSegmenter::on_unpublish(srs_utime_t now) {
    srs_error_t err = srs_success;
    if (!publishing_) {
        return err;
    }
    publishing_ = false;
    // The held-back samples end the stream with their previous duration.
    if ((err = cut(true, now)) != srs_success) {
        return srs_error_wrap(err, "dash: last segment");
    }
    return err;
}

srs_error_t SrsDashSegmenter::on_video(int64_t timestamp, const char* data, int size, srs_utime_t now) {
    srs_error_t err = srs_success;
    if (!publishing_) {
        return err;
    }
    if ((err = muxer_->write_video(timestamp, data, size)) != srs_success) {
        return srs_error_wrap(err, "dash: video");
    }
    return after_input(now);
}

srs_error_t SrsDashSegmenter::on_audio(int64_t timestamp, const char* data, int size, srs_utime_t now) {
    srs_error_t err = srs_success;
    if (!publishing_) {
        return err;
    }
    if ((err = muxer_->write_audio(timestamp, data, size)) != srs_success) {
        return srs_error_wrap(err, "dash: audio");
    }
    return after_input(now);
}

srs_error_t SrsDashSegmenter::on_config_change(srs_utime_t now) {
    srs_error_t err = srs_success;
    // The samples queued before the change belong to the Period of the old init segments.
    if ((err = cut(true, now)) != srs_success) {
        return err;
    }
    new_period_ = true;
    return err;
}

srs_error_t SrsDashSegmenter::after_input(srs_utime_t now) {
    srs_error_t err = srs_success;
    if (period_started_ && muxer_->config_version() != period_version_ && !new_period_) {
        if ((err = on_config_change(now)) != srs_success) {
            return err;
        }
    }
    const SrsFmp4Input& in = muxer_->last_input();
    if (!in.sample) {
        return err;
    }
    if (!has_wall_offset_) {
        wall_offset_ = srs_get_wall_time() - now;
        has_wall_offset_ = true;
    }
    if (!has_ast_) {
        ast_ = now;
        has_ast_ = true;
    }
    if (new_period_) {
        // The first sample of a new Period: its start on the MPD's timeline is its arrival.
        new_period_ = false;
        period_started_ = false;
        period_arrival_ = now;
        has_segment_pts_ = false;
    } else if (!period_started_ && segments_.empty()) {
        period_arrival_ = ast_;
    }
    int64_t fragment_ms = std::max(config_.fragment / SRS_UTIME_MILLISECONDS, kMinSegmentMs);
    int64_t queued = muxer_->queued_ms();
    bool due = false;
    if (muxer_->has_video()) {
        // A segment starts with a keyframe (startWithSAP): cut before one once the segment is
        // long enough. Its length is measured between the keyframes' presentation times: their
        // decode times move with the reordering delay of B-frames (an open-GOP x265 stream has
        // keyframes 1 s apart by pts, 0.88 or 0.96 s by dts).
        if (in.video && in.keyframe) {
            int64_t pts = in.timestamp + in.cts;
            // A timestamp that went back (a restarted publisher) starts the count again.
            due = has_segment_pts_ && pts - segment_pts_ >= fragment_ms;
            if (due || !has_segment_pts_ || pts < segment_pts_) {
                segment_pts_ = pts;
                has_segment_pts_ = true;
            }
        }
    } else {
        due = queued >= fragment_ms;
    }
    if (queued >= std::max(fragment_ms * kMaxSegmentFragments, kMaxSegmentMs)) {
        due = true;
    }
    if (!due) {
        return err;
    }
    return cut(false, now);
}

srs_error_t SrsDashSegmenter::start_period(const std::vector<SrsFmp4Run>& runs) {
    srs_error_t err = srs_success;
    if (!inits_.empty() || !segments_.empty()) {
        period_++;
    }
    period_started_ = true;
    period_version_ = muxer_->config_version();
    // The Period starts at the earliest decode time of its first segments, which each track
    // states in its own timescale (presentationTimeOffset): no track starts before its Period.
    const SrsMp4Track* vt = muxer_->video_track();
    const SrsMp4Track* at = muxer_->audio_track();
    int64_t anchor = 0;
    uint32_t anchor_scale = 0;
    for (const SrsFmp4Run& r : runs) {
        const SrsMp4Track* t = (vt && r.track_id == vt->id) ? vt : at;
        if (r.samples.empty() || !t) {
            continue;
        }
        int64_t dts = r.samples.front().dts;
        // dts / timescale < anchor / anchor_scale, without rounding.
        if (anchor_scale == 0 || dts * (int64_t)anchor_scale < anchor * (int64_t)t->timescale) {
            anchor = dts;
            anchor_scale = t->timescale;
        }
    }
    std::vector<std::string>& files = inits_[period_];
    for (Track* t : {&video_, &audio_}) {
        bool is_video = t == &video_;
        const SrsMp4Track* mt = is_video ? vt : at;
        t->on = mt != nullptr;
        if (!mt) {
            continue;
        }
        SrsDashRepresentation& rep = t->rep;
        rep = SrsDashRepresentation();
        rep.id = is_video ? "video" : "audio";
        rep.video = is_video;
        if ((err = srs_codec_string(*mt, &rep.codecs)) != srs_success) {
            srs_warn("dash: %s/%s %s codec string: %s", app_.c_str(), stream_.c_str(), rep.id.c_str(),
                     srs_error_desc(err).c_str());
            srs_error_reset(err);
        }
        rep.width = mt->width;
        rep.height = mt->height;
        rep.sample_rate = mt->sample_rate;
        rep.channels = mt->channels;
        rep.timescale = mt->timescale;
        rep.presentation_time_offset = anchor_scale ? anchor * (int64_t)mt->timescale / anchor_scale : 0;
        std::string init = srs_fmt("%s-init-%d.mp4", rep.id.c_str(), period_);
        rep.initialization = seg_dir_ + "/" + init;
        rep.media = seg_dir_ + "/" + rep.id + "-$Time$.m4s";
        std::string rel = srs_path_clean(srs_path_dirname(mpd_rel_) + "/" + rep.initialization);
        // One init segment per track (ftyp + a moov of that track alone), as DASH-IF IOP 3.2.1
        // wants for a Representation of one media component.
        if ((err = write_out(rel, srs_fmp4_ftyp() + srs_fmp4_moov({mt}))) != srs_success) {
            return srs_error_wrap(err, "dash: init segment");
        }
        files.push_back(rel);
    }
    return err;
}

srs_error_t SrsDashSegmenter::cut(bool all, srs_utime_t now) {
    srs_error_t err = srs_success;
    std::string out;
    if ((err = all ? muxer_->flush(false, &out) : muxer_->fragment(false, &out)) != srs_success) {
        return srs_error_wrap(err, "dash: fragment");
    }
    if (out.empty()) {
        return err;
    }
    const std::vector<SrsFmp4Run>& runs = muxer_->last_runs();
    if (!period_started_ && (err = start_period(runs)) != srs_success) {
        return err;
    }
    // The fragment is moof + mdat with the runs' bytes in run order: each track gets its own
    // styp + moof + mdat with its bytes.
    size_t payload = 0;
    for (const SrsFmp4Run& r : runs) {
        for (const SrsFmp4Sample& s : r.samples) {
            payload += s.size;
        }
    }
    size_t at = out.size() - payload;
    const SrsMp4Track* vt = muxer_->video_track();
    for (const SrsFmp4Run& r : runs) {
        size_t bytes = 0;
        for (const SrsFmp4Sample& s : r.samples) {
            bytes += s.size;
        }
        bool is_video = vt && r.track_id == vt->id;
        Track* t = is_video ? &video_ : &audio_;
        if (!t->on || r.samples.empty()) {
            // A track that came after the Period's init segments waits for the next Period.
            at += bytes;
            continue;
        }
        std::string seg = srs_fmp4_styp() + srs_fmp4_moof(++t->sequence, {r}) + srs_fmp4_mdat_header(bytes);
        seg.append(out, at, bytes);
        at += bytes;

        SrsDashSegment s;
        s.video = is_video;
        s.period = period_;
        s.t = r.samples.front().dts;
        s.d = run_duration(r);
        s.timescale = t->rep.timescale;
        s.bytes = (int64_t)seg.size();
        s.nb_samples = (int)r.samples.size();
        std::map<uint32_t, int> durations;
        for (const SrsFmp4Sample& x : r.samples) {
            int n = ++durations[x.duration];
            if (n > s.common_count) {
                s.common_count = n;
                s.common_duration = x.duration;
            }
        }
        s.rel = srs_path_clean(srs_path_dirname(mpd_rel_) + "/" + seg_dir_ + "/" +
                               srs_fmt("%s-%" PRId64 ".m4s", t->rep.id.c_str(), s.t));
        s.written_at = now;
        if ((err = write_out(s.rel, seg)) != srs_success) {
            return srs_error_wrap(err, "dash: segment");
        }
        segments_.push_back(s);
    }
    cleanup(now);
    return write_mpd(now);
}

void SrsDashSegmenter::cleanup(srs_utime_t now) {
    // A segment goes once it left the MPD's window (the last window_size of its track) and the
    // time shift buffer: a player may ask for it that long (ISO/IEC 23009-1 5.3.1.2).
    std::map<bool, int> newer;
    std::deque<SrsDashSegment> kept;
    for (auto it = segments_.rbegin(); it != segments_.rend(); ++it) {
        int n = newer[it->video]++;
        bool old = n >= config_.window_size && it->written_at + config_.timeshift <= now;
        if (old && config_.cleanup) {
            drop(it->rel);
            continue;
        }
        if (old && !config_.cleanup) {
            // Left on disk, no longer tracked (dispose does not delete it either, as with HLS);
            // never kept in memory.
            if (store_) {
                store_->remove("/" + it->rel);
            }
            continue;
        }
        kept.push_front(*it);
    }
    segments_.swap(kept);
    // The init segments of a past Period go with its last segment.
    for (auto it = inits_.begin(); it != inits_.end();) {
        bool used = it->first == period_;
        for (const SrsDashSegment& s : segments_) {
            used |= s.period == it->first;
        }
        if (used) {
            ++it;
            continue;
        }
        for (const std::string& rel : it->second) {
            if (config_.cleanup) {
                drop(rel);
            } else if (store_) {
                store_->remove("/" + rel);
            }
        }
        it = inits_.erase(it);
    }
}

srs_error_t SrsDashSegmenter::write_mpd(srs_utime_t now) {
    SrsDashMpd m;
    m.availability_start = wall(ast_);
    m.publish_time = wall(now);
    // A SegmentTimeline lists only the segments made so far: a player that refetched the MPD less
    // often than a segment is made would reach its end and stall (SRS's example has 30 s segments
    // and a 150 s period, which its $Number$ template survives and a timeline would not).
    m.minimum_update_period = std::min(config_.update_period, config_.fragment);
    m.time_shift_buffer_depth = config_.timeshift;
    m.period_id = srs_fmt("p%d", period_);
    m.period_start = period_arrival_ - ast_;
    m.utc_timing = SRS_DASH_UTC_TIMING_PATH;
    srs_utime_t longest = 0;
    for (Track* t : {&video_, &audio_}) {
        if (!t->on) {
            continue;
        }
        SrsDashRepresentation rep = t->rep;
        // The last window_size segments of the track in this Period.
        std::vector<const SrsDashSegment*> listed;
        for (auto it = segments_.rbegin(); it != segments_.rend() && (int)listed.size() < config_.window_size; ++it) {
            if (it->video == rep.video && it->period == period_) {
                listed.insert(listed.begin(), &*it);
            }
        }
        if (listed.empty()) {
            continue;
        }
        int64_t frames = 0, duration = 0;
        for (const SrsDashSegment* s : listed) {
            rep.timeline.push_back({s->t, s->d});
            frames += s->nb_samples;
            duration += s->d;
            if (s->d > 0) {
                rep.bandwidth = std::max(rep.bandwidth, s->bytes * 8 * (int64_t)s->timescale / s->d);
                longest = std::max(longest, (srs_utime_t)(s->d * SRS_UTIME_SECONDS / s->timescale));
            }
        }
        if (rep.video) {
            rep.frame_rate = srs_dash_frame_rate(frames, duration, rep.timescale);
            // A gap (a publisher that loops, a lost frame) spoils the average: the duration most
            // frames have then, when most have it.
            std::map<int64_t, int> common;
            for (const SrsDashSegment* s : listed) {
                common[s->common_duration] += s->common_count;
            }
            auto best = std::max_element(common.begin(), common.end(),
                                         [](const auto& a, const auto& b) { return a.second < b.second; });
            if (rep.frame_rate.empty() && best != common.end() && best->second * 2 > frames) {
                rep.frame_rate = srs_dash_frame_rate(1, best->first, rep.timescale);
            }
        }
        m.representations.push_back(rep);
    }
    if (m.representations.empty()) {
        return srs_success;
    }
    // A player needs a segment buffered before it starts (minBufferTime), and plays that far
    // behind the live edge three segments back (DASH-IF IOP 4.3.3.2.2: a few segments of delay
    // cover a segment written at the end of its time and the MPD's update).
    srs_utime_t seg = std::max(config_.fragment, longest);
    m.min_buffer_time = seg;
    m.suggested_presentation_delay = 3 * seg;
    mpd_ = srs_dash_mpd_text(m);
    srs_error_t err = write_out(mpd_rel_, mpd_);
    if (err != srs_success) {
        return srs_error_wrap(err, "dash: mpd");
    }
    return err;
}

void SrsDashSegmenter::dispose_memory() {
    if (!store_) {
        return;
    }
    for (const SrsDashSegment& s : segments_) {
        store_->remove("/" + s.rel);
    }
    for (const auto& p : inits_) {
        for (const std::string& rel : p.second) {
            store_->remove("/" + rel);
        }
    }
    store_->remove("/" + mpd_rel_);
}

void SrsDashSegmenter::dispose() {
    if (!configured_) {
        return;
    }
    for (const SrsDashSegment& s : segments_) {
        drop(s.rel);
    }
    for (const auto& p : inits_) {
        for (const std::string& rel : p.second) {
            drop(rel);
        }
    }
    drop(mpd_rel_);
    // The segments' directory, when nothing else is in it.
    if (config_.on_disk()) {
        ::rmdir(full(srs_path_clean(srs_path_dirname(mpd_rel_) + "/" + seg_dir_)).c_str());
    }
    srs_trace("dash: disposed of %s", full(mpd_rel_).c_str());
    // A later publish starts afresh: a new availabilityStartTime, decode times from 0.
    segments_.clear();
    inits_.clear();
    mpd_.clear();
    muxer_ = std::make_unique<SrsFmp4Muxer>();
    ast_ = 0;
    has_ast_ = false;
    has_segment_pts_ = false;
    period_ = 0;
    period_started_ = false;
    period_arrival_ = 0;
    new_period_ = false;
    video_ = Track();
    audio_ = Track();
    configured_ = false;
}
