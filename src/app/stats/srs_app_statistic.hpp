// Statistics of vhosts, streams and clients for the HTTP API and the Prometheus exporter:
// who is connected, what they publish or play, codecs, frames and byte rates. Owned by
// the server; the app reports events, a timer samples the byte counters.
#pragma once

#include <srs_app_conn.hpp>
#include <srs_app_kbps.hpp>
#include <srs_core_io.hpp>
#include <srs_core_st.hpp>
#include <srs_protocol_rtmp_request.hpp>
#include <srs_protocol_rtmp_session.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>

// What a client does, with SRS's names in the API (srs_client_type_string). Publishers
// are 0x02xx, so srs_client_type_is_publish() is one test.
enum SrsClientType {
    SrsClientUnknown = 0x0000,
    SrsClientRtmpPlay = 0x0110,
    SrsClientHlsPlay = 0x0111,
    SrsClientFlvPlay = 0x0112,
    SrsClientRtcPlay = 0x0113,
    SrsClientSrtPlay = 0x0114,
    // HTTP live streams other than FLV (helper `hls`).
    SrsClientTsPlay = 0x0115,
    SrsClientAacPlay = 0x0116,
    SrsClientMp3Play = 0x0117,
    SrsClientMp4Play = 0x0118,
    SrsClientFmlePublish = 0x0210,
    SrsClientFlashPublish = 0x0211,
    SrsClientHaivisionPublish = 0x0212,
    SrsClientRtcPublish = 0x0213,
    SrsClientSrtPublish = 0x0214,
};

// "rtmp-play", "flv-play", "hls-play", "fmle-publish", "flash-publish", ...; "Unknown".
const char* srs_client_type_string(SrsClientType type);
bool srs_client_type_is_publish(SrsClientType type);
// The type of an RTMP client as the RTMP session identified it.
SrsClientType srs_stat_client_type(SrsRtmpConnType type);

// SRS's stream url, the key of a stream: "/app/stream" on the default vhost, else
// "vhost/app/stream".
std::string srs_stat_stream_url(const std::string& vhost, const std::string& app, const std::string& stream);

// What the statistics keep about a client's request; filled by the connection.
struct SrsStatisticRequest {
    std::string vhost;
    std::string app;
    std::string stream;
    std::string tcUrl;
    std::string pageUrl;
    std::string swfUrl;
    std::string ip;
    // The query of the stream name or tcUrl ("?token=abc"), for exec's [param].
    std::string param;
};

// The statistics' copy of an RTMP request (after its vhost is resolved).
SrsStatisticRequest srs_stat_request(const SrsRequest& req);

// The video of a stream, as shown in /api/v1/streams ("H264", "High", "3.1", 1280, 720).
struct SrsStatisticVideo {
    std::string codec;
    std::string profile;
    std::string level;
    int width = 0;
    int height = 0;
};

// The audio of a stream ("AAC", 44100, 2, "LC").
struct SrsStatisticAudio {
    std::string codec;
    int sample_rate = 0;
    int channels = 0;
    std::string profile;
};

// Facts from the config that the vhost dump shows; the server implements it over its
// config snapshot. Without one, vhosts show as enabled and without HLS.
class ISrsStatisticConfig {
public:
    virtual ~ISrsStatisticConfig() = default;
    virtual bool vhost_enabled(const std::string& vhost) = 0;
    virtual bool hls_enabled(const std::string& vhost) = 0;
    // The HLS fragment duration in seconds.
    virtual double hls_fragment(const std::string& vhost) = 0;
};

class SrsStatisticVhost;
class SrsStatisticStream;

// One vhost that has seen a client. Vhosts are never removed, so streams can point at them.
class SrsStatisticVhost {
public:
    SrsStatisticVhost(const std::string& name, srs_utime_t now);

public:
    nlohmann::ordered_json dumps(ISrsStatisticConfig* config) const;

    std::string id_;
    std::string name_;
    int nb_clients_ = 0;
    int nb_streams_ = 0;
    SrsKbps kbps_;
};

// One stream (publishing or waited for by players). Removed when it has no publisher and
// no client left.
class SrsStatisticStream {
public:
    SrsStatisticStream(SrsStatisticVhost* vhost, const SrsStatisticRequest& req, const std::string& url,
                       srs_utime_t now);

public:
    nlohmann::ordered_json dumps() const;
    void publish(const std::string& cid);
    void close();

    std::string id_;
    SrsStatisticVhost* vhost_;
    std::string app_;
    std::string stream_;
    std::string url_;
    std::string tcUrl_;
    bool active_ = false;
    std::string publisher_cid_;
    int nb_clients_ = 0;
    int64_t video_frames_ = 0;
    int64_t audio_frames_ = 0;
    bool has_video_ = false;
    SrsStatisticVideo video_;
    bool has_audio_ = false;
    SrsStatisticAudio audio_;
    SrsKbps kbps_;
};

// One connected client (a connection that published or played a stream).
class SrsStatisticClient {
public:
    SrsStatisticClient(const std::string& cid, srs_utime_t now);

public:
    nlohmann::ordered_json dumps(srs_utime_t now) const;

    std::string id_;
    SrsStatisticStream* stream_ = nullptr;
    SrsStatisticRequest req_;
    SrsClientType type_ = SrsClientUnknown;
    srs_utime_t created_;
    SrsKbps kbps_;
    // The connection's byte counters, pulled by sample(); null for push-only clients.
    ISrsIoStat* io_ = nullptr;
    int64_t last_recv_ = 0;
    int64_t last_send_ = 0;
};

// Server-wide counters for the exporter and the list totals.
struct SrsStatisticMetrics {
    int64_t send_bytes = 0;
    int64_t recv_bytes = 0;
    int64_t nb_streams = 0;
    int64_t nb_clients = 0;
    int64_t total_clients = 0;
    int64_t nb_errors = 0;
};

// The registries of vhosts, streams and clients, keyed by SRS-style string ids. Clients are
// keyed by their connection's context id, so the API's client id is the id in the logs.
// Single-threaded (ST): no locking. Subscribe it to the connection manager so a connection
// that forgets on_disconnect() is still removed before it is destroyed.
class SrsStatistic : public ISrsDisposingHandler, public ISrsSampled {
public:
    SrsStatistic();
    ~SrsStatistic() override;
    SRS_DISALLOW_COPY(SrsStatistic);

public:
    // The server id ("vid-xxxxxxx" unless the config gives one), a random service id per
    // process, and the pid; the API shows all three as strings.
    const std::string& server_id() const { return server_id_; }
    void set_server_id(const std::string& id);
    const std::string& service_id() const { return service_id_; }
    const std::string& service_pid() const { return service_pid_; }
    void set_config(ISrsStatisticConfig* config) { config_ = config; }

public:
    // A client starts publishing or playing. io is the connection's byte counters, pulled at
    // each sample and read until on_disconnect(); it may be null (then use add_bytes()).
    // Calling again for the same cid moves the client to the new stream.
    void on_client(const std::string& cid, const SrsStatisticRequest& req, SrsClientType type, ISrsIoStat* io);
    // The client is gone; error tells whether it ended on an error (counted for the exporter).
    void on_disconnect(const std::string& cid, bool error = false);
    void on_stream_publish(const SrsStatisticRequest& req, const std::string& publisher_cid);
    void on_stream_close(const SrsStatisticRequest& req);
    // Codec and frame events update a stream that a client or a publish created; they never
    // create one, so a late event cannot leave an orphan stream behind.
    void on_video_info(const SrsStatisticRequest& req, const SrsStatisticVideo& video);
    void on_audio_info(const SrsStatisticRequest& req, const SrsStatisticAudio& audio);
    // Frame counts; callers batch them (a map lookup per call), e.g. once a second.
    void on_video_frames(const SrsStatisticRequest& req, int64_t nb_frames);
    void on_audio_frames(const SrsStatisticRequest& req, int64_t nb_frames);
    // Adds bytes for a client without io counters.
    void add_bytes(const std::string& cid, int64_t in, int64_t out);
    // Pulls the connections' counters and updates every rate. Run from a timer.
    void sample(srs_utime_t now) override;

    void on_disposing(ISrsConnection* conn) override;

public:
    SrsStatisticVhost* find_vhost_by_id(const std::string& id) const;
    SrsStatisticVhost* find_vhost_by_name(const std::string& name) const;
    SrsStatisticStream* find_stream(const std::string& id) const;
    SrsStatisticStream* find_stream_by_url(const std::string& url) const;
    SrsStatisticStream* find_stream(const SrsStatisticRequest& req) const;
    SrsStatisticClient* find_client(const std::string& cid) const;
    const SrsKbps& kbps() const { return kbps_; }
    size_t nb_streams() const { return streams_.size(); }
    size_t nb_clients() const { return clients_.size(); }
    SrsStatisticMetrics metrics() const;

public:
    nlohmann::ordered_json dumps_vhosts() const;
    nlohmann::ordered_json dumps_vhost(const SrsStatisticVhost* vhost) const;
    // Streams and clients in creation order, count items from start (SRS's paging).
    nlohmann::ordered_json dumps_streams(int start, int count) const;
    nlohmann::ordered_json dumps_clients(int start, int count) const;

private:
    SrsStatisticVhost* create_vhost(const SrsStatisticRequest& req);
    SrsStatisticStream* create_stream(const SrsStatisticRequest& req);
    void pull(SrsStatisticClient* client);
    void detach(SrsStatisticClient* client);
    void cleanup_stream(SrsStatisticStream* stream);

private:
    std::string server_id_;
    std::string service_id_;
    std::string service_pid_;
    ISrsStatisticConfig* config_ = nullptr;
    SrsKbps kbps_;
    int64_t total_clients_ = 0;
    int64_t nb_errors_ = 0;
    // Creation order keys the owning maps, so listings and paging are stable.
    uint64_t seq_ = 0;
    std::map<uint64_t, std::unique_ptr<SrsStatisticVhost>> vhosts_;
    std::unordered_map<std::string, SrsStatisticVhost*> vhosts_by_id_;
    std::unordered_map<std::string, SrsStatisticVhost*> vhosts_by_name_;
    std::map<uint64_t, std::unique_ptr<SrsStatisticStream>> streams_;
    std::unordered_map<const SrsStatisticStream*, uint64_t> stream_seq_;
    std::unordered_map<std::string, SrsStatisticStream*> streams_by_id_;
    std::unordered_map<std::string, SrsStatisticStream*> streams_by_url_;
    std::map<uint64_t, std::unique_ptr<SrsStatisticClient>> clients_;
    std::unordered_map<std::string, uint64_t> clients_by_id_;
};
