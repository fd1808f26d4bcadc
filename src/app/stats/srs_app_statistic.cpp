#include <srs_app_statistic.hpp>

#include <srs_core_log.hpp>
#include <srs_core_utility.hpp>

#include <unistd.h>

using json = nlohmann::ordered_json;

namespace {

// SRS's ids for vhosts and streams: "vid-" and seven random characters.
std::string srs_generate_stat_vid() {
    return "vid-" + srs_random_str(7);
}

// The default vhost, which SRS leaves out of stream urls.
const char* kDefaultVhost = "__defaultVhost__";

json srs_kbps_json(const SrsKbps& kbps) {
    return json{{"recv_30s", kbps.get_recv_kbps_30s()}, {"send_30s", kbps.get_send_kbps_30s()}};
}

}  // namespace

const char* srs_client_type_string(SrsClientType type) {
    switch (type) {
        case SrsClientRtmpPlay:
            return "rtmp-play";
        case SrsClientHlsPlay:
            return "hls-play";
        case SrsClientFlvPlay:
            return "flv-play";
        case SrsClientRtcPlay:
            return "rtc-play";
        case SrsClientSrtPlay:
            return "srt-play";
        case SrsClientTsPlay:
            return "ts-play";
        case SrsClientAacPlay:
            return "aac-play";
        case SrsClientMp3Play:
            return "mp3-play";
        case SrsClientMp4Play:
            return "mp4-play";
        case SrsClientFmlePublish:
            return "fmle-publish";
        case SrsClientFlashPublish:
            return "flash-publish";
        case SrsClientHaivisionPublish:
            return "haivision-publish";
        case SrsClientRtcPublish:
            return "rtc-publish";
        case SrsClientSrtPublish:
            return "srt-publish";
        default:
            return "Unknown";
    }
}

bool srs_client_type_is_publish(SrsClientType type) {
    return (type & 0xff00) == 0x0200;
}

SrsStatisticRequest srs_stat_request(const SrsRequest& req) {
    SrsStatisticRequest r;
    r.vhost = req.vhost;
    r.app = req.app;
    r.stream = req.stream;
    r.tcUrl = req.tcUrl;
    r.pageUrl = req.pageUrl;
    r.swfUrl = req.swfUrl;
    r.ip = req.ip;
    r.param = req.param;
    return r;
}

SrsClientType srs_stat_client_type(SrsRtmpConnType type) {
    switch (type) {
        case SrsRtmpConnPlay:
            return SrsClientRtmpPlay;
        case SrsRtmpConnFMLEPublish:
            return SrsClientFmlePublish;
        case SrsRtmpConnFlashPublish:
            return SrsClientFlashPublish;
        case SrsRtmpConnHaivisionPublish:
            return SrsClientHaivisionPublish;
        default:
            return SrsClientUnknown;
    }
}

std::string srs_stat_stream_url(const std::string& vhost, const std::string& app, const std::string& stream) {
    std::string url;
    if (vhost != kDefaultVhost) {
        url = vhost;
    }
    url += "/" + app + "/" + stream;
    return url;
}

SrsStatisticVhost::SrsStatisticVhost(const std::string& name, srs_utime_t now)
    : id_(srs_generate_stat_vid()), name_(name), kbps_(now) {}

json SrsStatisticVhost::dumps(ISrsStatisticConfig* config) const {
    bool enabled = config ? config->vhost_enabled(name_) : true;
    bool hls = config ? config->hls_enabled(name_) : false;

    json obj = {
        {"id", id_},
        {"name", name_},
        {"enabled", enabled},
        {"clients", nb_clients_},
        {"streams", nb_streams_},
        {"send_bytes", kbps_.get_send_bytes()},
        {"recv_bytes", kbps_.get_recv_bytes()},
        {"kbps", srs_kbps_json(kbps_)},
    };
    json ohls = {{"enabled", hls}};
    if (hls) {
        ohls["fragment"] = config->hls_fragment(name_);
    }
    obj["hls"] = ohls;
    return obj;
}

SrsStatisticStream::SrsStatisticStream(SrsStatisticVhost* vhost, const SrsStatisticRequest& req, const std::string& url,
                                       srs_utime_t now)
    : id_(srs_generate_stat_vid()),
      vhost_(vhost),
      app_(req.app),
      stream_(req.stream),
      url_(url),
      tcUrl_(req.tcUrl),
      kbps_(now) {}

json SrsStatisticStream::dumps() const {
    json obj = {
        {"id", id_},
        {"name", stream_},
        {"vhost", vhost_->id_},
        {"app", app_},
        {"tcUrl", tcUrl_},
        {"url", url_},
        // SRS reports the current wall clock here, not the stream's age; kept for its console.
        {"live_ms", srsu2ms(srs_get_wall_time())},
        {"clients", nb_clients_},
        {"frames", video_frames_ + audio_frames_},
        {"video_frames", video_frames_},
        {"audio_frames", audio_frames_},
        {"send_bytes", kbps_.get_send_bytes()},
        {"recv_bytes", kbps_.get_recv_bytes()},
        {"kbps", srs_kbps_json(kbps_)},
    };

    json publish = {{"active", active_}};
    if (!publisher_cid_.empty()) {
        publish["cid"] = publisher_cid_;
    }
    obj["publish"] = publish;

    if (has_video_) {
        obj["video"] = {
            {"codec", video_.codec}, {"profile", video_.profile}, {"level", video_.level},
            {"width", video_.width}, {"height", video_.height},
        };
    } else {
        obj["video"] = nullptr;
    }

    if (has_audio_) {
        obj["audio"] = {
            {"codec", audio_.codec},
            {"sample_rate", audio_.sample_rate},
            {"channel", audio_.channels},
            {"profile", audio_.profile},
        };
    } else {
        obj["audio"] = nullptr;
    }
    return obj;
}

void SrsStatisticStream::publish(const std::string& cid) {
    // A bridge may report the same publish twice; count it once.
    if (active_) {
        return;
    }
    publisher_cid_ = cid;
    active_ = true;
    vhost_->nb_streams_++;
}

void SrsStatisticStream::close() {
    if (!active_) {
        return;
    }
    has_video_ = false;
    has_audio_ = false;
    active_ = false;
    publisher_cid_.clear();
    vhost_->nb_streams_--;
}

SrsStatisticClient::SrsStatisticClient(const std::string& cid, srs_utime_t now) : id_(cid), created_(now), kbps_(now) {}

json SrsStatisticClient::dumps(srs_utime_t now) const {
    return json{
        {"id", id_},
        {"vhost", stream_->vhost_->id_},
        {"stream", stream_->id_},
        {"ip", req_.ip},
        {"pageUrl", req_.pageUrl},
        {"swfUrl", req_.swfUrl},
        {"tcUrl", req_.tcUrl},
        {"url", stream_->url_},
        {"name", req_.stream},
        {"type", srs_client_type_string(type_)},
        {"publish", srs_client_type_is_publish(type_)},
        // Seconds, with millisecond precision, as SRS.
        {"alive", srsu2ms(now - created_) / 1000.0},
        {"send_bytes", kbps_.get_send_bytes()},
        {"recv_bytes", kbps_.get_recv_bytes()},
        {"kbps", srs_kbps_json(kbps_)},
    };
}

SrsStatistic::SrsStatistic()
    : server_id_(srs_generate_stat_vid()),
      service_id_(srs_random_str(8)),
      service_pid_(std::to_string(getpid())),
      kbps_(srs_get_system_time()) {}

SrsStatistic::~SrsStatistic() = default;

void SrsStatistic::set_server_id(const std::string& id) {
    if (!id.empty()) {
        server_id_ = id;
    }
}

SrsStatisticVhost* SrsStatistic::create_vhost(const SrsStatisticRequest& req) {
    auto it = vhosts_by_name_.find(req.vhost);
    if (it != vhosts_by_name_.end()) {
        return it->second;
    }
    auto vhost = std::make_unique<SrsStatisticVhost>(req.vhost, srs_get_system_time());
    SrsStatisticVhost* v = vhost.get();
    vhosts_by_name_[v->name_] = v;
    vhosts_by_id_[v->id_] = v;
    vhosts_[seq_++] = std::move(vhost);
    return v;
}

SrsStatisticStream* SrsStatistic::create_stream(const SrsStatisticRequest& req) {
    // One stream whatever the protocol: rtmp, .flv and .m3u8 of /live/x are the same stream.
    std::string url = srs_stat_stream_url(req.vhost, req.app, req.stream);
    auto it = streams_by_url_.find(url);
    if (it != streams_by_url_.end()) {
        // The source's publish may create the stream before a client with a tcUrl arrives.
        if (it->second->tcUrl_.empty()) {
            it->second->tcUrl_ = req.tcUrl;
        }
        return it->second;
    }
    SrsStatisticVhost* vhost = create_vhost(req);
    auto stream = std::make_unique<SrsStatisticStream>(vhost, req, url, srs_get_system_time());
    SrsStatisticStream* s = stream.get();
    streams_by_url_[url] = s;
    streams_by_id_[s->id_] = s;
    stream_seq_[s] = seq_;
    streams_[seq_++] = std::move(stream);
    return s;
}

void SrsStatistic::on_client(const std::string& cid, const SrsStatisticRequest& req, SrsClientType type,
                             ISrsIoStat* io) {
    SrsStatisticStream* stream = create_stream(req);

    SrsStatisticClient* client = find_client(cid);
    if (!client) {
        auto c = std::make_unique<SrsStatisticClient>(cid, srs_get_system_time());
        client = c.get();
        clients_by_id_[cid] = seq_;
        clients_[seq_++] = std::move(c);
        total_clients_++;
    } else if (client->stream_ != stream) {
        // The same connection moved to another stream (an HTTP keep-alive connection, a
        // republish): collect what it did so far, then move it.
        pull(client);
        detach(client);
    }

    client->req_ = req;
    client->type_ = type;
    if (client->io_ != io) {
        // Counted from zero: the bytes before the client was known (handshake, connect) count.
        client->io_ = io;
        client->last_recv_ = 0;
        client->last_send_ = 0;
    }
    if (client->stream_ != stream) {
        client->stream_ = stream;
        stream->nb_clients_++;
        stream->vhost_->nb_clients_++;
    }
}

void SrsStatistic::on_disconnect(const std::string& cid, bool error) {
    auto it = clients_by_id_.find(cid);
    if (it == clients_by_id_.end()) {
        return;
    }
    uint64_t seq = it->second;
    SrsStatisticClient* client = clients_[seq].get();

    // The last bytes since the previous sample still count for the stream and the server.
    pull(client);
    client->io_ = nullptr;
    if (error) {
        nb_errors_++;
    }

    detach(client);
    clients_by_id_.erase(it);
    clients_.erase(seq);
}

void SrsStatistic::detach(SrsStatisticClient* client) {
    SrsStatisticStream* stream = client->stream_;
    if (!stream) {
        return;
    }
    client->stream_ = nullptr;
    stream->nb_clients_--;
    stream->vhost_->nb_clients_--;
    cleanup_stream(stream);
}

void SrsStatistic::cleanup_stream(SrsStatisticStream* stream) {
    // A stream lives while it is published or has a client (a player waiting for it).
    if (stream->active_ || stream->nb_clients_ > 0) {
        return;
    }
    streams_by_id_.erase(stream->id_);
    streams_by_url_.erase(stream->url_);
    auto it = stream_seq_.find(stream);
    uint64_t seq = it->second;
    stream_seq_.erase(it);
    streams_.erase(seq);
}

void SrsStatistic::on_stream_publish(const SrsStatisticRequest& req, const std::string& publisher_cid) {
    create_stream(req)->publish(publisher_cid);
}

SrsStatisticStream* SrsStatistic::find_stream(const SrsStatisticRequest& req) const {
    return find_stream_by_url(srs_stat_stream_url(req.vhost, req.app, req.stream));
}

void SrsStatistic::on_stream_close(const SrsStatisticRequest& req) {
    SrsStatisticStream* stream = find_stream(req);
    if (!stream) {
        return;
    }
    stream->close();
    cleanup_stream(stream);
}

void SrsStatistic::on_video_info(const SrsStatisticRequest& req, const SrsStatisticVideo& video) {
    SrsStatisticStream* stream = find_stream(req);
    if (!stream) {
        return;
    }
    stream->has_video_ = true;
    stream->video_ = video;
}

void SrsStatistic::on_audio_info(const SrsStatisticRequest& req, const SrsStatisticAudio& audio) {
    SrsStatisticStream* stream = find_stream(req);
    if (!stream) {
        return;
    }
    stream->has_audio_ = true;
    stream->audio_ = audio;
}

void SrsStatistic::on_video_frames(const SrsStatisticRequest& req, int64_t nb_frames) {
    if (SrsStatisticStream* stream = find_stream(req)) {
        stream->video_frames_ += nb_frames;
    }
}

void SrsStatistic::on_audio_frames(const SrsStatisticRequest& req, int64_t nb_frames) {
    if (SrsStatisticStream* stream = find_stream(req)) {
        stream->audio_frames_ += nb_frames;
    }
}

void SrsStatistic::add_bytes(const std::string& cid, int64_t in, int64_t out) {
    SrsStatisticClient* client = find_client(cid);
    if (!client) {
        return;
    }
    kbps_.add_delta(in, out);
    client->kbps_.add_delta(in, out);
    if (client->stream_) {
        client->stream_->kbps_.add_delta(in, out);
        client->stream_->vhost_->kbps_.add_delta(in, out);
    }
}

void SrsStatistic::pull(SrsStatisticClient* client) {
    if (!client->io_) {
        return;
    }
    int64_t recv = client->io_->get_recv_bytes();
    int64_t send = client->io_->get_send_bytes();
    int64_t in = recv - client->last_recv_;
    int64_t out = send - client->last_send_;
    client->last_recv_ = recv;
    client->last_send_ = send;
    if (in < 0 || out < 0) {
        // A counter that went backwards (a reset socket): start over from it.
        return;
    }
    kbps_.add_delta(in, out);
    client->kbps_.add_delta(in, out);
    if (client->stream_) {
        client->stream_->kbps_.add_delta(in, out);
        client->stream_->vhost_->kbps_.add_delta(in, out);
    }
}

void SrsStatistic::sample(srs_utime_t now) {
    for (auto& kv : clients_) {
        pull(kv.second.get());
        kv.second->kbps_.sample(now);
    }
    for (auto& kv : streams_) {
        kv.second->kbps_.sample(now);
    }
    for (auto& kv : vhosts_) {
        kv.second->kbps_.sample(now);
    }
    kbps_.sample(now);
}

void SrsStatistic::on_disposing(ISrsConnection* conn) {
    on_disconnect(conn->cid());
}

SrsStatisticVhost* SrsStatistic::find_vhost_by_id(const std::string& id) const {
    auto it = vhosts_by_id_.find(id);
    return it == vhosts_by_id_.end() ? nullptr : it->second;
}

SrsStatisticVhost* SrsStatistic::find_vhost_by_name(const std::string& name) const {
    auto it = vhosts_by_name_.find(name);
    return it == vhosts_by_name_.end() ? nullptr : it->second;
}

SrsStatisticStream* SrsStatistic::find_stream(const std::string& id) const {
    auto it = streams_by_id_.find(id);
    return it == streams_by_id_.end() ? nullptr : it->second;
}

SrsStatisticStream* SrsStatistic::find_stream_by_url(const std::string& url) const {
    auto it = streams_by_url_.find(url);
    return it == streams_by_url_.end() ? nullptr : it->second;
}

SrsStatisticClient* SrsStatistic::find_client(const std::string& cid) const {
    auto it = clients_by_id_.find(cid);
    if (it == clients_by_id_.end()) {
        return nullptr;
    }
    return clients_.at(it->second).get();
}

SrsStatisticMetrics SrsStatistic::metrics() const {
    SrsStatisticMetrics m;
    m.send_bytes = kbps_.get_send_bytes();
    m.recv_bytes = kbps_.get_recv_bytes();
    m.nb_streams = (int64_t)streams_.size();
    m.nb_clients = (int64_t)clients_.size();
    m.total_clients = total_clients_;
    m.nb_errors = nb_errors_;
    return m;
}

json SrsStatistic::dumps_vhosts() const {
    json arr = json::array();
    for (auto& kv : vhosts_) {
        arr.push_back(kv.second->dumps(config_));
    }
    return arr;
}

json SrsStatistic::dumps_vhost(const SrsStatisticVhost* vhost) const {
    return vhost->dumps(config_);
}

json SrsStatistic::dumps_streams(int start, int count) const {
    json arr = json::array();
    int i = 0;
    for (auto it = streams_.begin(); it != streams_.end() && i < start + count; ++it, ++i) {
        if (i >= start) {
            arr.push_back(it->second->dumps());
        }
    }
    return arr;
}

json SrsStatistic::dumps_clients(int start, int count) const {
    json arr = json::array();
    srs_utime_t now = srs_get_system_time();
    int i = 0;
    for (auto it = clients_.begin(); it != clients_.end() && i < start + count; ++it, ++i) {
        if (i >= start) {
            arr.push_back(it->second->dumps(now));
        }
    }
    return arr;
}
