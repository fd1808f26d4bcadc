// The RTMP session API over the chunk stream: the server side (handshake, connect, the
// client's role from its command sequence, the replies of publish and play) and the client
// side (connect, createStream, play, publish), in the shape of SRS's SrsRtmpServer and
// SrsRtmpClient.
#pragma once

#include <srs_core_error.hpp>
#include <srs_core_io.hpp>
#include <srs_kernel_message.hpp>
#include <srs_protocol_rtmp_packet.hpp>

#include <memory>
#include <string>

class SrsRtmpProtocol;
class SrsRequest;

// The role of a client, found from the commands it sends after connect.
enum SrsRtmpConnType {
    SrsRtmpConnUnknown = 0x0000,
    // play: Flash, ffmpeg/ffplay, VLC, rtmpdump.
    SrsRtmpConnPlay = 0x0100,
    // releaseStream, FCPublish, createStream, publish: FMLE, OBS, ffmpeg.
    SrsRtmpConnFMLEPublish = 0x0200,
    // createStream, publish: Flash.
    SrsRtmpConnFlashPublish = 0x0201,
    // FCPublish without releaseStream, then createStream, publish: Haivision encoders.
    SrsRtmpConnHaivisionPublish = 0x0202,
};

const char* srs_client_type_string(SrsRtmpConnType type);
bool srs_client_type_is_publish(SrsRtmpConnType type);

// The client id in onStatus objects, as FMS and SRS send it.
#define SRS_RTMP_CLIENT_ID "ASAICiss"

// Receives messages and sends packets over one chunk stream; shared by server and client.
class SrsRtmpSession {
public:
    explicit SrsRtmpSession(ISrsProtocolReadWriter* io);
    virtual ~SrsRtmpSession();
    SRS_DISALLOW_COPY(SrsRtmpSession);

public:
    SrsRtmpProtocol* protocol() { return protocol_.get(); }
    void set_recv_timeout(srs_utime_t tm);
    void set_send_timeout(srs_utime_t tm);
    srs_utime_t get_recv_timeout();
    srs_utime_t get_send_timeout();
    int64_t get_recv_bytes();
    int64_t get_send_bytes();

    // Any message; protocol control messages are applied before it returns.
    srs_error_t recv_message(SrsMediaMessage* msg);
    // A command or data message as a packet.
    srs_error_t decode_message(const SrsMediaMessage& msg, std::unique_ptr<SrsPacket>* pkt);
    // Encodes and sends a packet on a stream; requests are remembered so their answers decode.
    srs_error_t send_packet(const SrsPacket& pkt, int stream_id);
    // Sends media and data messages in one writev.
    srs_error_t send_messages(const SrsMediaMessage* msgs, int count);
    // Sends an onStatus call (level, code, description) on a stream.
    srs_error_t send_status(int stream_id, const std::string& level, const std::string& code,
                            const std::string& description);

    // Receives until a packet of type T arrives; commands of other types are answered when
    // they expect an answer (an unknown call gets a null _result) and otherwise skipped.
    template <typename T>
    srs_error_t expect_packet(std::unique_ptr<T>* out) {
        srs_error_t err = srs_success;
        while (true) {
            std::unique_ptr<SrsPacket> pkt;
            if ((err = recv_packet(&pkt)) != srs_success) {
                return err;
            }
            if (T* typed = dynamic_cast<T*>(pkt.get())) {
                pkt.release();
                out->reset(typed);
                return srs_success;
            }
            if ((err = on_unexpected(*pkt)) != srs_success) {
                return err;
            }
        }
    }

protected:
    // Receives the next command or data message as a packet, skipping media.
    srs_error_t recv_packet(std::unique_ptr<SrsPacket>* pkt);
    // Handles a packet an expect_packet() loop was not waiting for.
    virtual srs_error_t on_unexpected(const SrsPacket& pkt);

protected:
    ISrsProtocolReadWriter* io_;
    std::unique_ptr<SrsRtmpProtocol> protocol_;
    SrsRtmpCommandDecoder decoder_;
};

// The server side of a connection.
class SrsRtmpServer : public SrsRtmpSession {
public:
    explicit SrsRtmpServer(ISrsProtocolReadWriter* io);
    ~SrsRtmpServer() override;

public:
    // Simple or complex handshake, whichever the client uses.
    srs_error_t handshake();
    // Waits for connect and fills the request: tcUrl, pageUrl, swfUrl, objectEncoding, args,
    // and what the tcUrl says (schema, host, port, vhost, app, param).
    srs_error_t connect_app(SrsRequest* req);
    srs_error_t set_window_ack_size(int ack_size);
    srs_error_t set_peer_bandwidth(int bandwidth, int type);
    srs_error_t set_chunk_size(int chunk_size);
    // The connect _result: FMS identity, NetConnection.Connect.Success and our server data
    // (srs_sig, srs_server, srs_version, srs_id = cid, srs_pid, srs_server_ip, srs_server_id).
    srs_error_t response_connect_app(SrsRequest* req, const std::string& server_ip, const std::string& cid,
                                     const std::string& server_id = "");
    // The connect _error: NetConnection.Connect.Rejected with the reason.
    srs_error_t response_connect_reject(SrsRequest* req, const std::string& desc);
    srs_error_t on_bw_done();
    // Finds the client's role from its commands after connect, answering createStream,
    // releaseStream, FCPublish and calls on the way; stream_name keeps any query string.
    srs_error_t identify_client(int stream_id, SrsRtmpConnType* type, std::string* stream_name, srs_utime_t* duration);
    // Play replies: StreamBegin, onStatus Play.Reset and Play.Start, |RtmpSampleAccess; no
    // onStatus Data.Start data message, which FFmpeg takes for a data stream.
    srs_error_t start_play(int stream_id);
    // onStatus Pause.Notify and StreamEOF, or Unpause.Notify and StreamBegin.
    srs_error_t on_play_client_pause(int stream_id, bool is_pause);
    // FMLE publish: answers FCPublish and createStream until publish, then onFCPublish and
    // onStatus Publish.Start. publish_name receives the name of the publish command.
    srs_error_t start_fmle_publish(int stream_id, std::string* publish_name = nullptr);
    srs_error_t start_haivision_publish(int stream_id, std::string* publish_name = nullptr);
    // Flash publish: publish was already received by identify_client; onStatus Publish.Start.
    srs_error_t start_flash_publish(int stream_id);
    // The replies to FCUnpublish: onFCUnpublish, its _result, onStatus Unpublish.Success.
    srs_error_t fmle_unpublish(int stream_id, double unpublish_tid);
    // Tells a player the stream was (un)published: onStatus Play.PublishNotify/UnpublishNotify.
    srs_error_t on_publish_notify(int stream_id, bool published);
    // Rejects a publish whose stream is taken: onStatus NetStream.Publish.BadName.
    srs_error_t reject_publish(int stream_id, const std::string& desc);
    // Refuses an FMLE/Haivision publish: answers its commands until publish (so that the
    // client reads the answer before it sends anything more), then onStatus error code.
    srs_error_t reject_fmle_publish(int stream_id, const std::string& code, const std::string& desc);
    // Tells a player the stream is not found: onStatus NetStream.Play.StreamNotFound.
    srs_error_t reject_play(int stream_id, const std::string& desc);

private:
    srs_error_t identify_create_stream_client(double tid, int stream_id, int depth, SrsRtmpConnType* type,
                                              std::string* stream_name, srs_utime_t* duration);
    srs_error_t identify_play_client(const SrsPlayPacket& play, SrsRtmpConnType* type, std::string* stream_name,
                                     srs_utime_t* duration);
    srs_error_t answer_call(const SrsCallPacket& call);
    srs_error_t wait_publish(int stream_id, std::string* publish_name);
    // Answers FCPublish, createStream and calls until the publish command.
    srs_error_t wait_publish_command(int stream_id, std::string* publish_name);
    srs_error_t on_unexpected(const SrsPacket& pkt) override;
};

// What an SRS-like server tells about itself in the connect _result's data.
struct SrsServerInfo {
    std::string ip;
    std::string sig;
    std::string server;
    std::string version;
    // srs_id: the context id of the connection serving us; srs_server_id: the server's id
    // (the same in its logs and API), so an upstream path can be followed across machines.
    std::string id;
    std::string server_id;
    int pid = 0;
};

// The client side of a connection: for edge pulls, forwards, and tests.
class SrsRtmpClient : public SrsRtmpSession {
public:
    explicit SrsRtmpClient(ISrsProtocolReadWriter* io);
    ~SrsRtmpClient() override;

public:
    srs_error_t handshake(bool complex = false);
    // Sends connect for app and tcUrl (with req's pageUrl, swfUrl and args when given) and
    // waits for the answer; a _error fails with ERROR_RTMP_CONNECT_REJECTED. si receives
    // what the server says about itself, when it says it.
    srs_error_t connect_app(const std::string& app, const std::string& tc_url, SrsRequest* req = nullptr,
                            SrsServerInfo* si = nullptr);
    srs_error_t create_stream(int* stream_id);
    // Sends play and SetBufferLength; the server's onStatus arrives with the media.
    srs_error_t play(const std::string& stream, int stream_id, int chunk_size = 0);
    // Flash-style publish on a created stream; waits for NetStream.Publish.Start.
    srs_error_t publish(const std::string& stream, int stream_id, int chunk_size = 0);
    // FMLE-style: releaseStream, FCPublish, createStream, publish; waits for Publish.Start.
    srs_error_t fmle_publish(const std::string& stream, int* stream_id, int chunk_size = 0);
    // FCUnpublish and deleteStream, as ffmpeg ends a publish.
    srs_error_t fmle_unpublish(const std::string& stream, int stream_id);

private:
    srs_error_t set_chunk_size(int chunk_size);
    srs_error_t wait_publish_start(const std::string& stream);
    double next_tid() { return tid_++; }

private:
    double tid_ = 2;
};
