#include <srs_app_dvr.hpp>

#include <srs_app_config.hpp>
#include <srs_app_hls_hooks.hpp>
#include <srs_app_hls_muxer.hpp>
#include <srs_app_http_api.hpp>
#include <srs_app_http_hooks.hpp>
#include <srs_app_source.hpp>
#include <srs_app_statistic.hpp>
#include <srs_core_log.hpp>
#include <srs_core_utility.hpp>
#include <srs_kernel_buffer.hpp>
#include <srs_protocol_amf0.hpp>

#include <unistd.h>

#include <algorithm>
#include <climits>
#include <cstdio>
#include <cstring>

namespace {

// "onMetaData" as an AMF0 string: marker (1), length (2), 10 bytes.
const int kMetaNameSize = 1 + 2 + 10;
// ECMA array marker (1) and count (4), then each property: key length (2), key, value marker.
const int kEcmaHeaderSize = 1 + 4;
const int kPropertyKeySize = 2 + 8 + 1;  // "duration" and "filesize" are both 8 bytes
const int kNumberSize = 8;

bool ends_with(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool is_sequence_header(const SrsMediaMessage& msg) {
    return (msg.is_video() && SrsFlvTag::is_video_sequence_header(msg.data(), msg.size())) ||
           (msg.is_audio() && SrsFlvTag::is_audio_sequence_header(msg.data(), msg.size()));
}

}  // namespace

SrsDvrConfig srs_dvr_config_load(const SrsConfig& conf, const std::string& vhost) {
    SrsDvrConfig c;
    c.enabled = conf.vhost_bool(vhost, "dvr.enabled");
    c.apply = conf.vhost_strings(vhost, "dvr.dvr_apply");
    if (c.apply.empty()) {
        c.apply.push_back("all");
    }
    c.plan = conf.vhost_string(vhost, "dvr.dvr_plan") == "segment" ? SrsDvrPlan::Segment : SrsDvrPlan::Session;
    c.duration = conf.vhost_duration(vhost, "dvr.dvr_duration");
    c.wait_keyframe = conf.vhost_bool(vhost, "dvr.dvr_wait_keyframe");
    c.path = conf.vhost_string(vhost, "dvr.dvr_path");
    c.jitter = srs_jitter_algorithm_parse(conf.vhost_string(vhost, "dvr.time_jitter"));
    return c;
}

bool srs_dvr_apply_matches(const std::vector<std::string>& apply, const std::string& app, const std::string& stream) {
    std::string name = app + "/" + stream;
    for (const std::string& a : apply) {
        if (a == "all" || a == name) {
            return true;
        }
    }
    return false;
}

std::string srs_dvr_path_expand(const std::string& tmpl, const std::string& vhost, const std::string& app,
                                const std::string& stream, srs_utime_t wall) {
    // The same variables as hls_path/hls_ts_file; [seq] and [duration] mean nothing here.
    SrsHlsPathValues v;
    v.vhost = vhost;
    v.app = app;
    v.stream = stream;
    v.wall = wall;
    return srs_hls_path_expand(tmpl, v);
}

bool srs_dvr_segment_should_cut(int64_t elapsed_ms, srs_utime_t duration, bool wait_keyframe, bool has_video,
                                const SrsMediaMessage& msg) {
    if (elapsed_ms * SRS_UTIME_MILLISECONDS < duration) {
        return false;
    }
    if (!wait_keyframe || !has_video) {
        return true;
    }
    return msg.is_video() && SrsFlvTag::is_video_keyframe(msg.data(), msg.size()) &&
           !SrsFlvTag::is_video_sequence_header(msg.data(), msg.size());
}

std::string srs_dvr_flv_metadata(const SrsMediaMessage* meta, int* duration_pos, int* filesize_pos) {
    // Keep the publisher's fields (width, codecs, encoder...) after ours; a metadata that does
    // not parse is left out, it only loses those fields.
    SrsAmf0EcmaArray props;
    props.set("duration", SrsAmf0Any::number(0));
    props.set("filesize", SrsAmf0Any::number(0));
    if (meta && meta->size() > 0) {
        SrsBuffer in(const_cast<char*>(meta->data()), meta->size());
        std::unique_ptr<SrsAmf0Any> name;
        std::unique_ptr<SrsAmf0Any> body;
        srs_error_t err = srs_success;
        if ((err = SrsAmf0Any::read_any(&in, &name)) == srs_success && name->is_string() && !in.empty() &&
            (err = SrsAmf0Any::read_any(&in, &body)) == srs_success && body->is_property_bag()) {
            const SrsAmf0PropertyBag* bag = body->to_properties();
            for (int i = 0; i < bag->count(); i++) {
                const std::string& k = bag->key_at(i);
                if (k != "duration" && k != "filesize") {
                    props.append(k, bag->value_at(i)->copy());
                }
            }
        }
        srs_error_reset(err);
    }
    std::unique_ptr<SrsAmf0Any> name = SrsAmf0Any::str("onMetaData");
    std::string out(name->total_size() + props.total_size(), '\0');
    SrsBuffer buf(&out[0], (int)out.size());
    srs_error_t err = name->write(&buf);
    if (err == srs_success) {
        err = props.write(&buf);
    }
    // Both sizes were computed from the same objects: a failure would be a bug, not input.
    if (err != srs_success) {
        srs_error("dvr: encode onMetaData: %s", srs_error_desc(err).c_str());
        srs_error_reset(err);
    }
    *duration_pos = kMetaNameSize + kEcmaHeaderSize + kPropertyKeySize;
    *filesize_pos = *duration_pos + kNumberSize + kPropertyKeySize;
    return out;
}

SrsDvrFlvFile::SrsDvrFlvFile() : enc_(&writer_) {}

SrsDvrFlvFile::~SrsDvrFlvFile() {
    if (is_open()) {
        srs_error_t err = close();
        if (err != srs_success) {
            srs_error("dvr: finish %s: %s", path_.c_str(), srs_error_desc(err).c_str());
            srs_error_reset(err);
        }
    }
}

srs_error_t SrsDvrFlvFile::open(const std::string& path, const SrsMediaMessage* meta) {
    srs_error_t err = srs_success;
    path_ = path;
    tmp_ = path + ".tmp";
    first_ts_ = -1;
    last_ts_ = 0;
    if ((err = srs_path_mkdir_all(srs_path_dirname(path))) != srs_success) {
        return srs_error_wrap(err, "dvr folder of %s", path.c_str());
    }
    if ((err = writer_.open(tmp_)) != srs_success) {
        return srs_error_wrap(err, "dvr file");
    }
    int duration_pos = 0;
    int filesize_pos = 0;
    std::string body = srs_dvr_flv_metadata(meta, &duration_pos, &filesize_pos);
    int64_t body_offset = SRS_FLV_HEADER_SIZE + SRS_FLV_PREVIOUS_TAG_SIZE + SRS_FLV_TAG_HEADER_SIZE;
    duration_offset_ = body_offset + duration_pos;
    filesize_offset_ = body_offset + filesize_pos;
    if ((err = enc_.write_header()) != srs_success ||
        (err = enc_.write_tag(SrsMsgAMF0Data, 0, body.data(), (int)body.size())) != srs_success) {
        writer_.close();
        ::unlink(tmp_.c_str());
        return srs_error_wrap(err, "dvr write %s", tmp_.c_str());
    }
    return err;
}

srs_error_t SrsDvrFlvFile::write(const SrsMediaMessage& msg) {
    srs_error_t err = srs_success;
    if ((err = enc_.write_tag(msg.type, msg.timestamp, msg.data(), msg.size())) != srs_success) {
        return srs_error_wrap(err, "dvr write %s", tmp_.c_str());
    }
    // The duration is the media's: sequence headers carry no time of their own.
    if (msg.is_av() && !is_sequence_header(msg)) {
        if (first_ts_ < 0) {
            first_ts_ = msg.timestamp;
        }
        last_ts_ = std::max(last_ts_, msg.timestamp);
    }
    return err;
}

srs_error_t SrsDvrFlvFile::close() {
    srs_error_t err = srs_success;
    if (!is_open()) {
        return err;
    }
    // FLV spec E.5 onMetaData: duration in seconds, filesize in bytes (AMF0 doubles, big endian).
    int64_t filesize = writer_.tellg();
    double values[2] = {duration_ms() / 1000.0, (double)filesize};
    int64_t offsets[2] = {duration_offset_, filesize_offset_};
    for (int i = 0; i < 2 && err == srs_success; i++) {
        char bytes[kNumberSize];
        int64_t bits = 0;
        memcpy(&bits, &values[i], sizeof(bits));
        SrsBuffer b(bytes, sizeof(bytes));
        b.write_8bytes(bits);
        if ((err = writer_.seek(offsets[i])) == srs_success) {
            err = writer_.write(bytes, sizeof(bytes), nullptr);
        }
    }
    writer_.close();
    if (err == srs_success && ::rename(tmp_.c_str(), path_.c_str()) < 0) {
        err = srs_error_new(ERROR_SYSTEM_FILE_RENAME, "rename %s to %s: %s", tmp_.c_str(), path_.c_str(),
                            strerror(errno));
    }
    if (err != srs_success) {
        ::unlink(tmp_.c_str());
        return srs_error_wrap(err, "dvr finish %s", path_.c_str());
    }
    return err;
}

SrsDvrServer::SrsDvrServer() {
    char buf[PATH_MAX] = {0};
    if (getcwd(buf, sizeof(buf))) {
        cwd_ = buf;
    }
}

SrsDvrServer::~SrsDvrServer() = default;

srs_utime_t SrsDvrServer::now() const {
    return clock_ ? clock_() : srs_get_wall_time();
}

SrsDvrConfig SrsDvrServer::config_of(const std::string& vhost) const {
    if (has_fixed_) {
        return fixed_;
    }
    return config_ ? srs_dvr_config_load(*config_, vhost) : SrsDvrConfig();
}

std::unique_ptr<ISrsLiveSourceHandler> SrsDvrServer::create_handler(SrsLiveSource* source) {
    // Every source gets a handler: whether it records is decided at each publish.
    return std::make_unique<SrsDvrSourceHandler>(this, source->vhost(), source->app(), source->stream());
}

void SrsDvrServer::on_file_done(const SrsDvrFileEvent& ev) {
    nb_files_++;
    srs_trace("dvr: %s/%s/%s file %s complete", ev.vhost.c_str(), ev.app.c_str(), ev.stream.c_str(), ev.file.c_str());
    if (worker_ && config_ && srs_http_hooks_has(*config_, ev.vhost, SrsHookEvent::Dvr)) {
        SrsHookRequest r;
        r.vhost = ev.vhost;
        r.app = ev.app;
        r.stream = ev.stream;
        r.cwd = cwd_;
        r.file = ev.file;
        r.stream_url = srs_generate_stream_url(ev.vhost, ev.app, ev.stream);
        r.client_id = ev.client_id;
        r.ip = ev.ip;
        r.tcUrl = ev.tcUrl;
        if (stat_) {
            r.server_id = stat_->server_id();
            r.service_id = stat_->service_id();
            r.stream_id = srs_hook_stream_id(stat_, ev.vhost, ev.app, ev.stream);
        }
        std::string body = srs_hook_body(SrsHookEvent::Dvr, r);
        srs_utime_t timeout = config_->vhost_duration(ev.vhost, "http_hooks.timeout");
        for (const std::string& url : config_->vhost_strings(ev.vhost, "http_hooks.on_dvr")) {
            worker_->post("on_dvr", url, body, timeout);
        }
    }
    if (on_file_) {
        on_file_(ev);
    }
}

void SrsDvrServer::fill_publisher(SrsDvrFileEvent* ev) const {
    SrsStatisticRequest sr;
    sr.vhost = ev->vhost;
    sr.app = ev->app;
    sr.stream = ev->stream;
    SrsStatisticStream* st = stat_ ? stat_->find_stream(sr) : nullptr;
    SrsStatisticClient* pub = st && !st->publisher_cid_.empty() ? stat_->find_client(st->publisher_cid_) : nullptr;
    if (pub) {
        ev->client_id = pub->id_;
        ev->ip = pub->req_.ip;
        ev->tcUrl = pub->req_.tcUrl;
    }
}

SrsDvrSourceHandler::SrsDvrSourceHandler(SrsDvrServer* server, const std::string& vhost, const std::string& app,
                                         const std::string& stream)
    : server_(server), vhost_(vhost), app_(app), stream_(stream) {}

SrsDvrSourceHandler::~SrsDvrSourceHandler() {
    srs_error_t err = close_file();
    if (err != srs_success) {
        srs_error("dvr %s/%s: %s", app_.c_str(), stream_.c_str(), srs_error_desc(err).c_str());
        srs_error_reset(err);
    }
}

srs_error_t SrsDvrSourceHandler::on_publish() {
    // A previous publish's file was finished at its unpublish; be safe anyway.
    srs_error_t err = close_file();
    if (err != srs_success) {
        fail(std::move(err));
    }
    config_ = server_->config_of(vhost_);
    meta_ = SrsMediaMessage();
    video_sh_ = SrsMediaMessage();
    audio_sh_ = SrsMediaMessage();
    has_video_ = false;
    publisher_ = SrsDvrFileEvent();
    publisher_.vhost = vhost_;
    publisher_.app = app_;
    publisher_.stream = stream_;
    server_->fill_publisher(&publisher_);
    active_ = config_.enabled && srs_dvr_apply_matches(config_.apply, app_, stream_);
    if (active_ && ends_with(config_.path, ".mp4")) {
        srs_error("dvr %s/%s: dvr_path %s: mp4 not supported yet, not recording", app_.c_str(), stream_.c_str(),
                  config_.path.c_str());
        active_ = false;
    }
    if (active_) {
        srs_trace("dvr %s/%s: recording, plan=%s, path=%s", app_.c_str(), stream_.c_str(),
                  config_.plan == SrsDvrPlan::Segment ? "segment" : "session", config_.path.c_str());
    }
    // A recording that cannot start never refuses the publish.
    return srs_success;
}

void SrsDvrSourceHandler::on_unpublish() {
    srs_error_t err = close_file();
    if (err != srs_success) {
        fail(std::move(err));
    }
    active_ = false;
}

srs_error_t SrsDvrSourceHandler::on_audio(const SrsMediaMessage& msg) {
    on_media(msg);
    return srs_success;
}

srs_error_t SrsDvrSourceHandler::on_video(const SrsMediaMessage& msg) {
    on_media(msg);
    return srs_success;
}

srs_error_t SrsDvrSourceHandler::on_meta_data(const SrsMediaMessage& msg) {
    // Written at the start of each file (with duration and filesize); a metadata update during
    // a file applies to the next one.
    meta_ = msg;
    return srs_success;
}

void SrsDvrSourceHandler::on_media(const SrsMediaMessage& msg) {
    srs_error_t err = srs_success;
    if (!active_) {
        return;
    }
    bool sh = is_sequence_header(msg);
    if (msg.is_video()) {
        has_video_ = true;
        if (sh) {
            video_sh_ = msg;
        }
    } else if (sh) {
        audio_sh_ = msg;
    }

    // The sequence headers of a file go at its start: 0, or the opening message's time when
    // timestamps are kept (time_jitter off).
    int64_t start = config_.jitter == SrsJitterAlgorithm::Off ? msg.timestamp : 0;
    if (!file_) {
        if ((err = open_file(start)) != srs_success) {
            return fail(std::move(err));
        }
        // The sequence header that opened the file is already in it.
        if (sh) {
            return;
        }
    }

    SrsMediaMessage m = msg;
    jitter_.correct(&m, config_.jitter);
    if (config_.plan == SrsDvrPlan::Segment && !sh && file_->first_timestamp() >= 0 &&
        srs_dvr_segment_should_cut(m.timestamp - file_->first_timestamp(), config_.duration, config_.wait_keyframe,
                                   has_video_, msg)) {
        if ((err = close_file()) != srs_success || (err = open_file(start)) != srs_success) {
            return fail(std::move(err));
        }
        m = msg;
        jitter_.correct(&m, config_.jitter);
    }
    if ((err = file_->write(m)) != srs_success) {
        return fail(std::move(err));
    }
}

srs_error_t SrsDvrSourceHandler::open_file(int64_t start) {
    srs_error_t err = srs_success;
    std::string path = srs_dvr_path_expand(config_.path, vhost_, app_, stream_, server_->now());
    auto f = std::make_unique<SrsDvrFlvFile>();
    if ((err = f->open(path, meta_.size() > 0 ? &meta_ : nullptr)) != srs_success) {
        return srs_error_wrap(err, "dvr open");
    }
    // Each file starts at 0 (time_jitter full/zero): a new corrector per file. The sequence
    // headers go first, at the file's start, so every file decodes on its own.
    jitter_ = SrsRtmpJitter();
    for (const SrsMediaMessage* h : {&video_sh_, &audio_sh_}) {
        if (h->size() == 0) {
            continue;
        }
        SrsMediaMessage m = *h;
        m.timestamp = start;
        if ((err = f->write(m)) != srs_success) {
            return srs_error_wrap(err, "dvr sequence header");
        }
    }
    srs_trace("dvr %s/%s: recording to %s", app_.c_str(), stream_.c_str(), f->tmp_path().c_str());
    file_ = std::move(f);
    return err;
}

srs_error_t SrsDvrSourceHandler::close_file() {
    srs_error_t err = srs_success;
    if (!file_) {
        return err;
    }
    std::unique_ptr<SrsDvrFlvFile> f = std::move(file_);
    if ((err = f->close()) != srs_success) {
        return err;
    }
    SrsDvrFileEvent ev = publisher_;
    ev.file = f->path();
    server_->on_file_done(ev);
    return err;
}

void SrsDvrSourceHandler::fail(srs_error_t err) {
    srs_error("dvr %s/%s: recording stopped for this stream (the stream goes on): %s", app_.c_str(), stream_.c_str(),
              srs_error_desc(err).c_str());
    srs_error_reset(err);
    active_ = false;
    // Keep what was recorded: finish the file when it can be.
    srs_error_t r = close_file();
    if (r != srs_success) {
        srs_error("dvr %s/%s: %s", app_.c_str(), stream_.c_str(), srs_error_desc(r).c_str());
        srs_error_reset(r);
    }
}
