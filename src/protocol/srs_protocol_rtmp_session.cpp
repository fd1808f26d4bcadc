#include <srs_protocol_rtmp_session.hpp>

#include <srs_core.hpp>
#include <srs_core_log.hpp>
#include <srs_protocol_rtmp_enhanced.hpp>
#include <srs_protocol_rtmp_handshake.hpp>
#include <srs_protocol_rtmp_request.hpp>
#include <srs_protocol_rtmp_stack.hpp>

#include <unistd.h>

namespace {

// Nested createStream calls accepted while identifying a client (Flash may retry).
const int kMaxCreateStreamDepth = 3;
// The window acknowledgement size a client announces (as SRS and librtmp).
const int kClientWindowAckSize = 2500000;
// The buffer length a player announces, in milliseconds.
const int kPlayBufferLengthMs = 1000;

std::unique_ptr<SrsOnStatusCallPacket> status(const std::string& level, const std::string& code,
                                              const std::string& description) {
    auto pkt = SrsOnStatusCallPacket::create(level, code, description);
    pkt->data->set(SRS_STATUS_CLIENT_ID, SrsAmf0Any::str(SRS_RTMP_CLIENT_ID));
    return pkt;
}

}  // namespace

const char* srs_client_type_string(SrsRtmpConnType type) {
    switch (type) {
        case SrsRtmpConnPlay:
            return "rtmp-play";
        case SrsRtmpConnFMLEPublish:
            return "fmle-publish";
        case SrsRtmpConnFlashPublish:
            return "flash-publish";
        case SrsRtmpConnHaivisionPublish:
            return "haivision-publish";
        default:
            return "unknown";
    }
}

bool srs_client_type_is_publish(SrsRtmpConnType type) {
    return type == SrsRtmpConnFMLEPublish || type == SrsRtmpConnFlashPublish || type == SrsRtmpConnHaivisionPublish;
}

SrsRtmpSession::SrsRtmpSession(ISrsProtocolReadWriter* io)
    : io_(io), protocol_(std::make_unique<SrsRtmpProtocol>(io)) {}

SrsRtmpSession::~SrsRtmpSession() = default;

void SrsRtmpSession::set_recv_timeout(srs_utime_t tm) {
    protocol_->set_recv_timeout(tm);
}

void SrsRtmpSession::set_send_timeout(srs_utime_t tm) {
    protocol_->set_send_timeout(tm);
}

srs_utime_t SrsRtmpSession::get_recv_timeout() {
    return protocol_->get_recv_timeout();
}

srs_utime_t SrsRtmpSession::get_send_timeout() {
    return protocol_->get_send_timeout();
}

int64_t SrsRtmpSession::get_recv_bytes() {
    return protocol_->get_recv_bytes();
}

int64_t SrsRtmpSession::get_send_bytes() {
    return protocol_->get_send_bytes();
}

srs_error_t SrsRtmpSession::recv_message(SrsMediaMessage* msg) {
    return protocol_->recv_message(msg);
}

srs_error_t SrsRtmpSession::decode_message(const SrsMediaMessage& msg, std::unique_ptr<SrsPacket>* pkt) {
    return decoder_.decode(msg, pkt);
}

srs_error_t SrsRtmpSession::send_packet(const SrsPacket& pkt, int stream_id) {
    srs_error_t err = srs_success;
    SrsMediaMessage msg;
    if ((err = pkt.encode(stream_id, &msg)) != srs_success) {
        return srs_error_wrap(err, "encode");
    }
    double tid = 0;
    std::string name;
    if (pkt.expects_response(&tid, &name)) {
        decoder_.remember_request(tid, name);
    }
    if ((err = protocol_->send_message(msg)) != srs_success) {
        return srs_error_wrap(err, "send packet");
    }
    return srs_success;
}

srs_error_t SrsRtmpSession::send_messages(const SrsMediaMessage* msgs, int count) {
    return protocol_->send_messages(msgs, count);
}

srs_error_t SrsRtmpSession::send_status(int stream_id, const std::string& level, const std::string& code,
                                        const std::string& description) {
    srs_error_t err = send_packet(*status(level, code, description), stream_id);
    if (err != srs_success) {
        return srs_error_wrap(err, "send onStatus %s", code.c_str());
    }
    return srs_success;
}

srs_error_t SrsRtmpSession::recv_packet(std::unique_ptr<SrsPacket>* pkt) {
    srs_error_t err = srs_success;
    while (true) {
        SrsMediaMessage msg;
        if ((err = protocol_->recv_message(&msg)) != srs_success) {
            return srs_error_wrap(err, "recv message");
        }
        if (!SrsRtmpCommandDecoder::is_command_or_data(msg)) {
            srs_info("RTMP: ignore message type=%d size=%d", msg.type, msg.size());
            continue;
        }
        if ((err = decoder_.decode(msg, pkt)) != srs_success) {
            return srs_error_wrap(err, "decode message");
        }
        return srs_success;
    }
}

srs_error_t SrsRtmpSession::on_unexpected(const SrsPacket& pkt) {
    // An _error of a request without a dedicated packet (createStream, ...) ends the wait.
    const SrsCallResPacket* res = dynamic_cast<const SrsCallResPacket*>(&pkt);
    if (res && res->command_name == SRS_CMD_ERROR) {
        std::string desc;
        if (res->response && res->response->to_properties()) {
            desc = res->response->to_properties()->get_string(SRS_STATUS_DESCRIPTION);
        }
        return srs_error_new(ERROR_RTMP_ACCESS_DENIED, "peer answered _error tid=%.0f %s", res->transaction_id,
                             desc.c_str());
    }
    return srs_success;
}

SrsRtmpServer::SrsRtmpServer(ISrsProtocolReadWriter* io) : SrsRtmpSession(io) {}

SrsRtmpServer::~SrsRtmpServer() = default;

srs_error_t SrsRtmpServer::handshake() {
    bool complex = false;
    srs_error_t err = SrsRtmpHandshake::server(io_, &complex);
    if (err != srs_success) {
        return srs_error_wrap(err, "handshake");
    }
    srs_info("RTMP: %s handshake done", complex ? "complex" : "simple");
    return srs_success;
}

srs_error_t SrsRtmpServer::connect_app(SrsRequest* req) {
    srs_error_t err = srs_success;
    std::unique_ptr<SrsConnectAppPacket> pkt;
    if ((err = expect_packet(&pkt)) != srs_success) {
        return srs_error_wrap(err, "expect connect");
    }
    const SrsAmf0Object* obj = pkt->command_object.get();
    SrsAmf0Any* tc_url = obj->ensure_property_string("tcUrl");
    if (!tc_url) {
        return srs_error_new(ERROR_RTMP_URL_INVALID, "connect without tcUrl");
    }
    req->tcUrl = tc_url->to_str();
    req->pageUrl = obj->get_string("pageUrl");
    req->swfUrl = obj->get_string("swfUrl");
    req->objectEncoding = obj->get_number("objectEncoding", 0);
    req->args = pkt->args ? pkt->args->copy_object() : nullptr;
    SrsRtmpEnhancedCaps caps;
    srs_rtmp_enhanced_parse(obj, &caps);
    req->fourcc_list = caps.accepted_fourccs();
    req->caps_ex = caps.caps_ex;
    if ((err = req->parse_tc_url()) != srs_success) {
        return srs_error_wrap(err, "connect");
    }
    // A tcUrl without path (rtmp://host) with the app in the command object.
    if (req->app.empty()) {
        req->app = obj->get_string("app");
    }
    return srs_success;
}

srs_error_t SrsRtmpServer::set_window_ack_size(int ack_size) {
    return protocol_->send_window_ack_size(ack_size);
}

srs_error_t SrsRtmpServer::set_peer_bandwidth(int bandwidth, int type) {
    return protocol_->send_set_peer_bandwidth(bandwidth, type);
}

srs_error_t SrsRtmpServer::set_chunk_size(int chunk_size) {
    return protocol_->set_out_chunk_size(chunk_size);
}

srs_error_t SrsRtmpServer::response_connect_app(SrsRequest* req, const std::string& server_ip, const std::string& cid,
                                                const std::string& server_id) {
    SrsConnectAppResPacket pkt;
    pkt.props->set("fmsVer", SrsAmf0Any::str(SRS_RTMP_FMS_VERSION));
    pkt.props->set("capabilities", SrsAmf0Any::number(SRS_RTMP_FMS_CAPABILITIES));
    pkt.props->set("mode", SrsAmf0Any::number(SRS_RTMP_FMS_MODE));
    // What the server accepts: enhanced RTMP clients send only what is listed here.
    srs_rtmp_enhanced_announce(pkt.props.get());

    pkt.info->set(SRS_STATUS_LEVEL, SrsAmf0Any::str(SRS_STATUS_LEVEL_STATUS));
    pkt.info->set(SRS_STATUS_CODE, SrsAmf0Any::str(SRS_STATUS_CONNECT_SUCCESS));
    pkt.info->set(SRS_STATUS_DESCRIPTION, SrsAmf0Any::str("Connection succeeded"));
    pkt.info->set("objectEncoding", SrsAmf0Any::number(req->objectEncoding));

    auto data = SrsAmf0Any::ecma_array();
    data->set("version", SrsAmf0Any::str(SRS_RTMP_FMS_VERSION_SHORT));
    data->set("srs_sig", SrsAmf0Any::str(SRS_SERVER_NAME));
    data->set("srs_server", SrsAmf0Any::str(SRS_SERVER_SIGNATURE));
    data->set("srs_license", SrsAmf0Any::str(SRS_LICENSE));
    data->set("srs_url", SrsAmf0Any::str(SRS_URL));
    data->set("srs_version", SrsAmf0Any::str(SRS_VERSION_STRING));
    data->set("srs_authors", SrsAmf0Any::str(SRS_AUTHORS));
    if (!server_ip.empty()) {
        data->set("srs_server_ip", SrsAmf0Any::str(server_ip));
    }
    data->set("srs_pid", SrsAmf0Any::number(getpid()));
    data->set("srs_id", SrsAmf0Any::str(cid));
    if (!server_id.empty()) {
        data->set("srs_server_id", SrsAmf0Any::str(server_id));
    }
    pkt.info->set("data", std::move(data));

    srs_error_t err = send_packet(pkt, 0);
    if (err != srs_success) {
        return srs_error_wrap(err, "response connect");
    }
    return srs_success;
}

srs_error_t SrsRtmpServer::response_connect_reject(SrsRequest*, const std::string& desc) {
    SrsConnectAppResPacket pkt;
    pkt.command_name = SRS_CMD_ERROR;
    pkt.props.reset();
    pkt.info->set(SRS_STATUS_LEVEL, SrsAmf0Any::str(SRS_STATUS_LEVEL_ERROR));
    pkt.info->set(SRS_STATUS_CODE, SrsAmf0Any::str(SRS_STATUS_CONNECT_REJECTED));
    pkt.info->set(SRS_STATUS_DESCRIPTION, SrsAmf0Any::str(desc));
    srs_error_t err = send_packet(pkt, 0);
    if (err != srs_success) {
        return srs_error_wrap(err, "reject connect");
    }
    return srs_success;
}

srs_error_t SrsRtmpServer::on_bw_done() {
    SrsOnBWDonePacket pkt;
    return send_packet(pkt, 0);
}

srs_error_t SrsRtmpServer::identify_client(int stream_id, SrsRtmpConnType* type, std::string* stream_name,
                                           srs_utime_t* duration) {
    srs_error_t err = srs_success;
    *type = SrsRtmpConnUnknown;
    while (true) {
        std::unique_ptr<SrsPacket> pkt;
        if ((err = recv_packet(&pkt)) != srs_success) {
            return srs_error_wrap(err, "identify client");
        }
        if (auto* cs = dynamic_cast<SrsCreateStreamPacket*>(pkt.get())) {
            return identify_create_stream_client(cs->transaction_id, stream_id, kMaxCreateStreamDepth, type,
                                                 stream_name, duration);
        }
        if (auto* fmle = dynamic_cast<SrsFMLEStartPacket*>(pkt.get())) {
            if ((err = send_packet(SrsFMLEStartResPacket(fmle->transaction_id), 0)) != srs_success) {
                return srs_error_wrap(err, "response %s", fmle->command_name.c_str());
            }
            if (fmle->command_name == SRS_CMD_RELEASE_STREAM) {
                *type = SrsRtmpConnFMLEPublish;
            } else if (fmle->command_name == SRS_CMD_FC_PUBLISH) {
                // Haivision encoders skip releaseStream.
                *type = SrsRtmpConnHaivisionPublish;
            } else {
                continue;
            }
            *stream_name = fmle->stream_name;
            return srs_success;
        }
        if (auto* play = dynamic_cast<SrsPlayPacket*>(pkt.get())) {
            return identify_play_client(*play, type, stream_name, duration);
        }
        if (auto* publish = dynamic_cast<SrsPublishPacket*>(pkt.get())) {
            // A client that publishes without createStream, on the stream id it picked.
            *type = SrsRtmpConnFlashPublish;
            *stream_name = publish->stream_name;
            return srs_success;
        }
        // _checkbw and other calls get a null _result (FMLE, Haivision wait for it).
        if ((err = on_unexpected(*pkt)) != srs_success) {
            return err;
        }
    }
}

srs_error_t SrsRtmpServer::identify_create_stream_client(double tid, int stream_id, int depth, SrsRtmpConnType* type,
                                                         std::string* stream_name, srs_utime_t* duration) {
    srs_error_t err = srs_success;
    if (depth <= 0) {
        return srs_error_new(ERROR_RTMP_CLIENT_ROLE, "too many createStream");
    }
    if ((err = send_packet(SrsCreateStreamResPacket(tid, stream_id), 0)) != srs_success) {
        return srs_error_wrap(err, "response createStream");
    }
    while (true) {
        std::unique_ptr<SrsPacket> pkt;
        if ((err = recv_packet(&pkt)) != srs_success) {
            return srs_error_wrap(err, "identify after createStream");
        }
        if (auto* play = dynamic_cast<SrsPlayPacket*>(pkt.get())) {
            return identify_play_client(*play, type, stream_name, duration);
        }
        if (auto* publish = dynamic_cast<SrsPublishPacket*>(pkt.get())) {
            *type = SrsRtmpConnFlashPublish;
            *stream_name = publish->stream_name;
            return srs_success;
        }
        if (auto* cs = dynamic_cast<SrsCreateStreamPacket*>(pkt.get())) {
            return identify_create_stream_client(cs->transaction_id, stream_id, depth - 1, type, stream_name, duration);
        }
        if (auto* fmle = dynamic_cast<SrsFMLEStartPacket*>(pkt.get())) {
            if ((err = send_packet(SrsFMLEStartResPacket(fmle->transaction_id), 0)) != srs_success) {
                return srs_error_wrap(err, "response %s", fmle->command_name.c_str());
            }
            if (fmle->command_name == SRS_CMD_FC_UNPUBLISH) {
                continue;
            }
            // FCPublish after createStream: a Haivision-style encoder.
            *type = SrsRtmpConnHaivisionPublish;
            *stream_name = fmle->stream_name;
            return srs_success;
        }
        if ((err = on_unexpected(*pkt)) != srs_success) {
            return err;
        }
    }
}

srs_error_t SrsRtmpServer::identify_play_client(const SrsPlayPacket& play, SrsRtmpConnType* type,
                                                std::string* stream_name, srs_utime_t* duration) {
    *type = SrsRtmpConnPlay;
    *stream_name = play.stream_name;
    *duration = play.duration > 0 ? (srs_utime_t)(play.duration * SRS_UTIME_MILLISECONDS) : -1;
    return srs_success;
}

srs_error_t SrsRtmpServer::answer_call(const SrsCallPacket& call) {
    if (call.transaction_id == 0) {
        return srs_success;
    }
    SrsCallResPacket res(call.transaction_id);
    res.command_object = SrsAmf0Any::null();
    res.response = SrsAmf0Any::null();
    srs_error_t err = send_packet(res, 0);
    if (err != srs_success) {
        return srs_error_wrap(err, "response call %s", call.command_name.c_str());
    }
    return srs_success;
}

srs_error_t SrsRtmpServer::on_unexpected(const SrsPacket& pkt) {
    if (const SrsCallPacket* call = dynamic_cast<const SrsCallPacket*>(&pkt)) {
        return answer_call(*call);
    }
    if (const SrsGetStreamLengthPacket* len = dynamic_cast<const SrsGetStreamLengthPacket*>(&pkt)) {
        // A live stream has no length.
        SrsCallResPacket res(len->transaction_id);
        res.command_object = SrsAmf0Any::null();
        res.response = SrsAmf0Any::number(0);
        return send_packet(res, 0);
    }
    return srs_success;
}

srs_error_t SrsRtmpServer::start_play(int stream_id) {
    srs_error_t err = srs_success;
    if ((err = protocol_->send_user_control(SrsUcStreamBegin, stream_id)) != srs_success) {
        return srs_error_wrap(err, "send StreamBegin");
    }
    auto reset = status(SRS_STATUS_LEVEL_STATUS, SRS_STATUS_PLAY_RESET, "Playing and resetting stream.");
    reset->data->set(SRS_STATUS_DETAILS, SrsAmf0Any::str("stream"));
    if ((err = send_packet(*reset, stream_id)) != srs_success) {
        return srs_error_wrap(err, "send Play.Reset");
    }
    auto start = status(SRS_STATUS_LEVEL_STATUS, SRS_STATUS_PLAY_START, "Started playing stream.");
    start->data->set(SRS_STATUS_DETAILS, SrsAmf0Any::str("stream"));
    if ((err = send_packet(*start, stream_id)) != srs_success) {
        return srs_error_wrap(err, "send Play.Start");
    }
    SrsSampleAccessPacket access;
    access.audio_sample_access = true;
    access.video_sample_access = true;
    if ((err = send_packet(access, stream_id)) != srs_success) {
        return srs_error_wrap(err, "send |RtmpSampleAccess");
    }
    // No onStatus NetStream.Data.Start data message (FMS and old SRS send one): FFmpeg turns
    // every script tag but onMetaData, onCuePoint and |RtmpSampleAccess into a packet of an
    // extra "Data: none" stream, which ffprobe lists and which holds its stream analysis up
    // (SRS dropped it too, its issue 3767). Flash players do not need it to start.
    return srs_success;
}

srs_error_t SrsRtmpServer::on_play_client_pause(int stream_id, bool is_pause) {
    srs_error_t err = srs_success;
    if (is_pause) {
        if ((err = send_status(stream_id, SRS_STATUS_LEVEL_STATUS, SRS_STATUS_PAUSE_NOTIFY, "Paused stream.")) !=
            srs_success) {
            return err;
        }
        if ((err = protocol_->send_user_control(SrsUcStreamEOF, stream_id)) != srs_success) {
            return srs_error_wrap(err, "send StreamEOF");
        }
        return srs_success;
    }
    if ((err = send_status(stream_id, SRS_STATUS_LEVEL_STATUS, SRS_STATUS_UNPAUSE_NOTIFY, "Unpaused stream.")) !=
        srs_success) {
        return err;
    }
    if ((err = protocol_->send_user_control(SrsUcStreamBegin, stream_id)) != srs_success) {
        return srs_error_wrap(err, "send StreamBegin");
    }
    return srs_success;
}

srs_error_t SrsRtmpServer::wait_publish(int stream_id, std::string* publish_name) {
    srs_error_t err = srs_success;
    if ((err = wait_publish_command(stream_id, publish_name)) != srs_success) {
        return err;
    }

    auto fc = status(SRS_STATUS_LEVEL_STATUS, SRS_STATUS_PUBLISH_START, "Started publishing stream.");
    fc->command_name = SRS_CMD_ON_FC_PUBLISH;
    fc->data->remove(SRS_STATUS_LEVEL);
    fc->data->remove(SRS_STATUS_CLIENT_ID);
    if ((err = send_packet(*fc, stream_id)) != srs_success) {
        return srs_error_wrap(err, "send onFCPublish");
    }
    return send_status(stream_id, SRS_STATUS_LEVEL_STATUS, SRS_STATUS_PUBLISH_START, "Started publishing stream.");
}

srs_error_t SrsRtmpServer::reject_fmle_publish(int stream_id, const std::string& code, const std::string& desc) {
    srs_error_t err = srs_success;
    if ((err = wait_publish_command(stream_id, nullptr)) != srs_success) {
        return err;
    }
    return send_status(stream_id, SRS_STATUS_LEVEL_ERROR, code, desc);
}

srs_error_t SrsRtmpServer::wait_publish_command(int stream_id, std::string* publish_name) {
    srs_error_t err = srs_success;
    // Encoders differ in order (FCPublish before or after createStream, _checkbw on the way):
    // answer what comes until publish.
    while (true) {
        std::unique_ptr<SrsPacket> pkt;
        if ((err = recv_packet(&pkt)) != srs_success) {
            return srs_error_wrap(err, "wait publish");
        }
        if (auto* fmle = dynamic_cast<SrsFMLEStartPacket*>(pkt.get())) {
            if ((err = send_packet(SrsFMLEStartResPacket(fmle->transaction_id), 0)) != srs_success) {
                return srs_error_wrap(err, "response %s", fmle->command_name.c_str());
            }
            continue;
        }
        if (auto* cs = dynamic_cast<SrsCreateStreamPacket*>(pkt.get())) {
            if ((err = send_packet(SrsCreateStreamResPacket(cs->transaction_id, stream_id), 0)) != srs_success) {
                return srs_error_wrap(err, "response createStream");
            }
            continue;
        }
        if (auto* publish = dynamic_cast<SrsPublishPacket*>(pkt.get())) {
            if (publish_name) {
                *publish_name = publish->stream_name;
            }
            break;
        }
        if ((err = on_unexpected(*pkt)) != srs_success) {
            return err;
        }
    }
    return err;
}

srs_error_t SrsRtmpServer::start_fmle_publish(int stream_id, std::string* publish_name) {
    return wait_publish(stream_id, publish_name);
}

srs_error_t SrsRtmpServer::start_haivision_publish(int stream_id, std::string* publish_name) {
    return wait_publish(stream_id, publish_name);
}

srs_error_t SrsRtmpServer::start_flash_publish(int stream_id) {
    return send_status(stream_id, SRS_STATUS_LEVEL_STATUS, SRS_STATUS_PUBLISH_START, "Started publishing stream.");
}

srs_error_t SrsRtmpServer::fmle_unpublish(int stream_id, double unpublish_tid) {
    srs_error_t err = srs_success;
    auto fc = status(SRS_STATUS_LEVEL_STATUS, SRS_STATUS_UNPUBLISH_SUCCESS, "Stop publishing stream.");
    fc->command_name = SRS_CMD_ON_FC_UNPUBLISH;
    fc->data->remove(SRS_STATUS_LEVEL);
    fc->data->remove(SRS_STATUS_CLIENT_ID);
    if ((err = send_packet(*fc, stream_id)) != srs_success) {
        return srs_error_wrap(err, "send onFCUnpublish");
    }
    if ((err = send_packet(SrsFMLEStartResPacket(unpublish_tid), stream_id)) != srs_success) {
        return srs_error_wrap(err, "response FCUnpublish");
    }
    return send_status(stream_id, SRS_STATUS_LEVEL_STATUS, SRS_STATUS_UNPUBLISH_SUCCESS, "Stream is now unpublished");
}

srs_error_t SrsRtmpServer::on_publish_notify(int stream_id, bool published) {
    if (published) {
        return send_status(stream_id, SRS_STATUS_LEVEL_STATUS, SRS_STATUS_PLAY_PUBLISH_NOTIFY,
                           "The stream is published.");
    }
    return send_status(stream_id, SRS_STATUS_LEVEL_STATUS, SRS_STATUS_PLAY_UNPUBLISH_NOTIFY,
                       "The stream is unpublished.");
}

srs_error_t SrsRtmpServer::reject_publish(int stream_id, const std::string& desc) {
    return send_status(stream_id, SRS_STATUS_LEVEL_ERROR, SRS_STATUS_PUBLISH_BAD_NAME, desc);
}

srs_error_t SrsRtmpServer::reject_play(int stream_id, const std::string& desc) {
    return send_status(stream_id, SRS_STATUS_LEVEL_ERROR, SRS_STATUS_PLAY_STREAM_NOT_FOUND, desc);
}

SrsRtmpClient::SrsRtmpClient(ISrsProtocolReadWriter* io) : SrsRtmpSession(io) {}

SrsRtmpClient::~SrsRtmpClient() = default;

srs_error_t SrsRtmpClient::handshake(bool complex) {
    srs_error_t err = SrsRtmpHandshake::client(io_, complex);
    if (err != srs_success) {
        return srs_error_wrap(err, "handshake");
    }
    return srs_success;
}

srs_error_t SrsRtmpClient::connect_app(const std::string& app, const std::string& tc_url, SrsRequest* req,
                                       SrsServerInfo* si) {
    srs_error_t err = srs_success;
    if ((err = protocol_->send_window_ack_size(kClientWindowAckSize)) != srs_success) {
        return srs_error_wrap(err, "send window ack size");
    }

    // The command object of a Flash player (RTMP spec 7.2.1.1, table 1).
    SrsConnectAppPacket pkt;
    SrsAmf0Object* obj = pkt.command_object.get();
    obj->set("app", SrsAmf0Any::str(app));
    obj->set("flashVer", SrsAmf0Any::str("WIN 15,0,0,239"));
    obj->set("swfUrl", SrsAmf0Any::str(req ? req->swfUrl : ""));
    obj->set("tcUrl", SrsAmf0Any::str(tc_url));
    obj->set("fpad", SrsAmf0Any::boolean(false));
    obj->set("capabilities", SrsAmf0Any::number(239));
    obj->set("audioCodecs", SrsAmf0Any::number(3575));
    obj->set("videoCodecs", SrsAmf0Any::number(252));
    obj->set("videoFunction", SrsAmf0Any::number(1));
    obj->set("pageUrl", SrsAmf0Any::str(req ? req->pageUrl : ""));
    obj->set("objectEncoding", SrsAmf0Any::number(0));
    // Without fourCcList an enhanced origin sends only what legacy RTMP can carry.
    srs_rtmp_enhanced_announce(obj, true);
    if (req && req->args) {
        pkt.args = req->args->copy_object();
    }
    if ((err = send_packet(pkt, 0)) != srs_success) {
        return srs_error_wrap(err, "send connect");
    }

    std::unique_ptr<SrsConnectAppResPacket> res;
    if ((err = expect_packet(&res)) != srs_success) {
        return srs_error_wrap(err, "expect connect response");
    }
    if (res->command_name == SRS_CMD_ERROR) {
        return srs_error_new(ERROR_RTMP_CONNECT_REJECTED, "connect %s rejected: %s %s", tc_url.c_str(),
                             res->info->get_string(SRS_STATUS_CODE).c_str(),
                             res->info->get_string(SRS_STATUS_DESCRIPTION).c_str());
    }
    SrsAmf0Any* data = res->info->get_property("data");
    if (si && data && data->to_properties()) {
        SrsAmf0PropertyBag* bag = data->to_properties();
        si->ip = bag->get_string("srs_server_ip");
        si->sig = bag->get_string("srs_sig");
        si->server = bag->get_string("srs_server");
        si->version = bag->get_string("srs_version");
        si->id = bag->get_string("srs_id");
        si->pid = (int)bag->get_number("srs_pid");
        si->server_id = bag->get_string("srs_server_id");
    }
    return srs_success;
}

srs_error_t SrsRtmpClient::create_stream(int* stream_id) {
    srs_error_t err = srs_success;
    SrsCreateStreamPacket pkt;
    pkt.transaction_id = next_tid();
    if ((err = send_packet(pkt, 0)) != srs_success) {
        return srs_error_wrap(err, "send createStream");
    }
    while (true) {
        std::unique_ptr<SrsCreateStreamResPacket> res;
        if ((err = expect_packet(&res)) != srs_success) {
            return srs_error_wrap(err, "expect createStream response");
        }
        if (res->transaction_id == pkt.transaction_id) {
            *stream_id = (int)res->stream_id;
            return srs_success;
        }
    }
}

srs_error_t SrsRtmpClient::set_chunk_size(int chunk_size) {
    if (chunk_size <= 0 || chunk_size == protocol_->out_chunk_size()) {
        return srs_success;
    }
    return protocol_->set_out_chunk_size(chunk_size);
}

srs_error_t SrsRtmpClient::play(const std::string& stream, int stream_id, int chunk_size) {
    srs_error_t err = srs_success;
    SrsPlayPacket pkt;
    pkt.stream_name = stream;
    if ((err = send_packet(pkt, stream_id)) != srs_success) {
        return srs_error_wrap(err, "send play %s", stream.c_str());
    }
    if ((err = protocol_->send_user_control(SrsUcSetBufferLength, stream_id, kPlayBufferLengthMs)) != srs_success) {
        return srs_error_wrap(err, "send SetBufferLength");
    }
    return set_chunk_size(chunk_size);
}

srs_error_t SrsRtmpClient::wait_publish_start(const std::string& stream) {
    srs_error_t err = srs_success;
    while (true) {
        std::unique_ptr<SrsOnStatusCallPacket> st;
        if ((err = expect_packet(&st)) != srs_success) {
            return srs_error_wrap(err, "expect onStatus of publish %s", stream.c_str());
        }
        if (st->command_name != SRS_CMD_ON_STATUS) {
            continue;
        }
        std::string code = st->data->get_string(SRS_STATUS_CODE);
        if (code == SRS_STATUS_PUBLISH_START) {
            return srs_success;
        }
        if (st->data->get_string(SRS_STATUS_LEVEL) == SRS_STATUS_LEVEL_ERROR) {
            return srs_error_new(ERROR_RTMP_PUBLISH_REJECTED, "publish %s rejected: %s %s", stream.c_str(),
                                 code.c_str(), st->data->get_string(SRS_STATUS_DESCRIPTION).c_str());
        }
    }
}

srs_error_t SrsRtmpClient::publish(const std::string& stream, int stream_id, int chunk_size) {
    srs_error_t err = srs_success;
    if ((err = set_chunk_size(chunk_size)) != srs_success) {
        return srs_error_wrap(err, "set chunk size");
    }
    SrsPublishPacket pkt;
    pkt.stream_name = stream;
    if ((err = send_packet(pkt, stream_id)) != srs_success) {
        return srs_error_wrap(err, "send publish %s", stream.c_str());
    }
    return wait_publish_start(stream);
}

srs_error_t SrsRtmpClient::fmle_publish(const std::string& stream, int* stream_id, int chunk_size) {
    srs_error_t err = srs_success;
    if ((err = set_chunk_size(chunk_size)) != srs_success) {
        return srs_error_wrap(err, "set chunk size");
    }
    if ((err = send_packet(*SrsFMLEStartPacket::create(SRS_CMD_RELEASE_STREAM, next_tid(), stream), 0)) !=
        srs_success) {
        return srs_error_wrap(err, "send releaseStream");
    }
    if ((err = send_packet(*SrsFMLEStartPacket::create(SRS_CMD_FC_PUBLISH, next_tid(), stream), 0)) != srs_success) {
        return srs_error_wrap(err, "send FCPublish");
    }
    if ((err = create_stream(stream_id)) != srs_success) {
        return err;
    }
    SrsPublishPacket pkt;
    pkt.stream_name = stream;
    if ((err = send_packet(pkt, *stream_id)) != srs_success) {
        return srs_error_wrap(err, "send publish %s", stream.c_str());
    }
    return wait_publish_start(stream);
}

srs_error_t SrsRtmpClient::fmle_unpublish(const std::string& stream, int stream_id) {
    srs_error_t err = srs_success;
    if ((err = send_packet(*SrsFMLEStartPacket::create(SRS_CMD_FC_UNPUBLISH, next_tid(), stream), 0)) != srs_success) {
        return srs_error_wrap(err, "send FCUnpublish");
    }
    SrsDeleteStreamPacket del;
    del.stream_id = stream_id;
    if ((err = send_packet(del, 0)) != srs_success) {
        return srs_error_wrap(err, "send deleteStream");
    }
    return srs_success;
}
