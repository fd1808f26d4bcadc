#include <gtest/gtest.h>

#include <srs_core_st.hpp>
#include <srs_core_utility.hpp>
#include <srs_kernel_buffer.hpp>
#include <srs_protocol_amf0.hpp>
#include <srs_protocol_rtmp_enhanced.hpp>
#include <srs_protocol_rtmp_handshake.hpp>
#include <srs_protocol_rtmp_packet.hpp>
#include <srs_protocol_rtmp_request.hpp>
#include <srs_protocol_rtmp_session.hpp>
#include <srs_protocol_rtmp_stack.hpp>
#include <srs_utest_protocol_helper.hpp>

#include <cstring>
#include <vector>

namespace {

// Bytes in, bytes out: reads what a test prepared and records what is written. Reading past
// the input fails like a socket timeout.
class MockIO : public ISrsProtocolReadWriter {
public:
    std::string in;
    size_t pos = 0;
    std::string out;

    srs_error_t read(void* buf, size_t size, ssize_t* nread) override {
        if (pos >= in.size()) {
            return srs_error_new(ERROR_SOCKET_TIMEOUT, "mock: no more input");
        }
        size_t n = std::min(size, in.size() - pos);
        memcpy(buf, in.data() + pos, n);
        pos += n;
        if (nread) {
            *nread = (ssize_t)n;
        }
        return srs_success;
    }
    srs_error_t read_fully(void* buf, size_t size, ssize_t* nread) override {
        if (in.size() - pos < size) {
            pos = in.size();
            return srs_error_new(ERROR_SOCKET_TIMEOUT, "mock: no more input");
        }
        memcpy(buf, in.data() + pos, size);
        pos += size;
        if (nread) {
            *nread = (ssize_t)size;
        }
        return srs_success;
    }
    srs_error_t write(const void* buf, size_t size, ssize_t* nwrite) override {
        out.append((const char*)buf, size);
        if (nwrite) {
            *nwrite = (ssize_t)size;
        }
        return srs_success;
    }
    srs_error_t writev(const iovec* iov, int iov_size, ssize_t* nwrite) override {
        ssize_t total = 0;
        for (int i = 0; i < iov_size; i++) {
            out.append((const char*)iov[i].iov_base, iov[i].iov_len);
            total += (ssize_t)iov[i].iov_len;
        }
        if (nwrite) {
            *nwrite = total;
        }
        return srs_success;
    }
    void set_recv_timeout(srs_utime_t tm) override { rtm_ = tm; }
    srs_utime_t get_recv_timeout() override { return rtm_; }
    void set_send_timeout(srs_utime_t tm) override { stm_ = tm; }
    srs_utime_t get_send_timeout() override { return stm_; }
    int64_t get_recv_bytes() override { return (int64_t)pos; }
    int64_t get_send_bytes() override { return (int64_t)out.size(); }

private:
    srs_utime_t rtm_ = SRS_UTIME_NO_TIMEOUT;
    srs_utime_t stm_ = SRS_UTIME_NO_TIMEOUT;
};

// What a client sends, chunked as a real client would.
class ClientScript {
public:
    ClientScript() : proto_(&io_) {}
    void send(const SrsPacket& pkt, int stream_id = 0) {
        SrsMediaMessage msg;
        srs_error_t err = pkt.encode(stream_id, &msg);
        ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
        err = proto_.send_message(msg);
        ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
    }
    void send_raw(const SrsMediaMessage& msg) {
        srs_error_t err = proto_.send_message(msg);
        ASSERT_TRUE(err == srs_success) << srs_error_desc(err);
    }
    SrsRtmpProtocol* protocol() { return &proto_; }
    const std::string& bytes() const { return io_.out; }

private:
    MockIO io_;
    SrsRtmpProtocol proto_;
};

// Reads back what the server wrote, as the client would see it.
class ServerReplies {
public:
    explicit ServerReplies(const std::string& bytes) : proto_(&io_) { io_.in = bytes; }
    // The next message of any type.
    bool next(SrsMediaMessage* msg) {
        srs_error_t err = proto_.recv_message(msg);
        bool ok = err == srs_success;
        srs_error_reset(err);
        return ok;
    }
    // The next command/data message as a packet of type T.
    template <typename T>
    std::unique_ptr<T> next_packet() {
        while (true) {
            SrsMediaMessage msg;
            if (!next(&msg)) {
                ADD_FAILURE() << "no more messages";
                return nullptr;
            }
            if (!SrsRtmpCommandDecoder::is_command_or_data(msg)) {
                continue;
            }
            std::unique_ptr<SrsPacket> pkt;
            srs_error_t err = decoder.decode(msg, &pkt);
            if (err != srs_success) {
                ADD_FAILURE() << srs_error_desc(err);
                return nullptr;
            }
            T* typed = dynamic_cast<T*>(pkt.get());
            if (!typed) {
                ADD_FAILURE() << "unexpected packet type";
                return nullptr;
            }
            pkt.release();
            return std::unique_ptr<T>(typed);
        }
    }
    bool at_end() { return io_.pos >= io_.in.size(); }
    SrsRtmpCommandDecoder decoder;

private:
    MockIO io_;
    SrsRtmpProtocol proto_;
};

std::unique_ptr<SrsConnectAppPacket> connect_packet(const std::string& tc_url) {
    auto pkt = std::make_unique<SrsConnectAppPacket>();
    pkt->command_object->set("app", SrsAmf0Any::str("live"));
    pkt->command_object->set("type", SrsAmf0Any::str("nonprivate"));
    pkt->command_object->set("flashVer", SrsAmf0Any::str("FMLE/3.0 (compatible; Lavf60.3.100)"));
    pkt->command_object->set("tcUrl", SrsAmf0Any::str(tc_url));
    pkt->command_object->set("objectEncoding", SrsAmf0Any::number(0));
    return pkt;
}

void expect_status(ServerReplies* r, const char* code, const char* name = SRS_CMD_ON_STATUS) {
    auto st = r->next_packet<SrsOnStatusCallPacket>();
    ASSERT_TRUE(st);
    EXPECT_EQ(name, st->command_name);
    EXPECT_EQ(code, st->data->get_string(SRS_STATUS_CODE));
}

// The server's connect phase as the app will run it.
void serve_connect(SrsRtmpServer* server, SrsRequest* req) {
    SRS_ASSERT_OK(server->connect_app(req));
    SRS_ASSERT_OK(server->set_window_ack_size(2500000));
    SRS_ASSERT_OK(server->set_peer_bandwidth(2500000, SrsPeerBandwidthDynamic));
    SRS_ASSERT_OK(server->set_chunk_size(60000));
    SRS_ASSERT_OK(server->response_connect_app(req, "127.0.0.1", "cid-1234"));
    SRS_ASSERT_OK(server->on_bw_done());
}

// Checks the replies of serve_connect.
void expect_connect_replies(ServerReplies* r) {
    SrsMediaMessage msg;
    ASSERT_TRUE(r->next(&msg));
    EXPECT_EQ(SrsMsgWindowAckSize, msg.type);
    ASSERT_TRUE(r->next(&msg));
    EXPECT_EQ(SrsMsgSetPeerBandwidth, msg.type);
    ASSERT_TRUE(r->next(&msg));
    EXPECT_EQ(SrsMsgSetChunkSize, msg.type);
    r->decoder.remember_request(1, SRS_CMD_CONNECT);
    auto res = r->next_packet<SrsConnectAppResPacket>();
    ASSERT_TRUE(res);
    EXPECT_EQ(SRS_CMD_RESULT, res->command_name);
    EXPECT_EQ(SRS_RTMP_FMS_VERSION, res->props->get_string("fmsVer"));
    EXPECT_EQ(127, res->props->get_number("capabilities"));
    EXPECT_EQ(1, res->props->get_number("mode"));
    EXPECT_EQ(SRS_STATUS_CONNECT_SUCCESS, res->info->get_string(SRS_STATUS_CODE));
    EXPECT_EQ(SRS_STATUS_LEVEL_STATUS, res->info->get_string(SRS_STATUS_LEVEL));
    SrsAmf0Any* data = res->info->get_property("data");
    ASSERT_TRUE(data && data->is_ecma_array());
    EXPECT_EQ("cid-1234", data->to_properties()->get_string("srs_id"));
    EXPECT_EQ(SRS_SERVER_NAME, data->to_properties()->get_string("srs_sig"));
    EXPECT_EQ(SRS_VERSION_STRING, data->to_properties()->get_string("srs_version"));
    EXPECT_EQ("127.0.0.1", data->to_properties()->get_string("srs_server_ip"));
    EXPECT_LT(0, data->to_properties()->get_number("srs_pid"));
    EXPECT_TRUE(r->next_packet<SrsOnBWDonePacket>());
}

}  // namespace

TEST(ProtocolRtmpSessionTest, FfmpegObsPublish) {
    // ffmpeg and OBS: connect, releaseStream, FCPublish, createStream, publish.
    ClientScript c;
    c.send(*connect_packet("rtmp://127.0.0.1:1935/live"));
    c.send(*SrsFMLEStartPacket::create(SRS_CMD_RELEASE_STREAM, 2, "livestream?token=abc"));
    c.send(*SrsFMLEStartPacket::create(SRS_CMD_FC_PUBLISH, 3, "livestream?token=abc"));
    SrsCreateStreamPacket cs;
    cs.transaction_id = 4;
    c.send(cs);
    SrsPublishPacket publish;
    publish.transaction_id = 5;
    publish.stream_name = "livestream?token=abc";
    c.send(publish, 1);

    MockIO io;
    io.in = c.bytes();
    SrsRtmpServer server(&io);
    SrsRequest req;
    serve_connect(&server, &req);
    EXPECT_EQ("rtmp://127.0.0.1:1935/live", req.tcUrl);
    EXPECT_EQ("127.0.0.1", req.host);
    EXPECT_EQ("live", req.app);
    EXPECT_EQ(1935, req.port);

    SrsRtmpConnType type = SrsRtmpConnUnknown;
    std::string stream;
    srs_utime_t duration = 0;
    SRS_ASSERT_OK(server.identify_client(1, &type, &stream, &duration));
    EXPECT_EQ(SrsRtmpConnFMLEPublish, type);
    EXPECT_TRUE(srs_client_type_is_publish(type));
    EXPECT_EQ("livestream?token=abc", stream);
    std::string publish_name;
    SRS_ASSERT_OK(server.start_fmle_publish(1, &publish_name));
    EXPECT_EQ("livestream?token=abc", publish_name);

    ServerReplies r(io.out);
    expect_connect_replies(&r);
    r.decoder.remember_request(2, SRS_CMD_RELEASE_STREAM);
    r.decoder.remember_request(3, SRS_CMD_FC_PUBLISH);
    r.decoder.remember_request(4, SRS_CMD_CREATE_STREAM);
    auto rel = r.next_packet<SrsFMLEStartResPacket>();
    ASSERT_TRUE(rel);
    EXPECT_EQ(2, rel->transaction_id);
    auto fc = r.next_packet<SrsFMLEStartResPacket>();
    ASSERT_TRUE(fc);
    EXPECT_EQ(3, fc->transaction_id);
    auto csr = r.next_packet<SrsCreateStreamResPacket>();
    ASSERT_TRUE(csr);
    EXPECT_EQ(4, csr->transaction_id);
    EXPECT_EQ(1, csr->stream_id);
    expect_status(&r, SRS_STATUS_PUBLISH_START, SRS_CMD_ON_FC_PUBLISH);
    expect_status(&r, SRS_STATUS_PUBLISH_START);
    EXPECT_TRUE(r.at_end());
}

TEST(ProtocolRtmpSessionTest, FlashPublish) {
    ClientScript c;
    c.send(*connect_packet("rtmp://host/live?vhost=v.com"));
    SrsCreateStreamPacket cs;
    c.send(cs);
    SrsPublishPacket publish;
    publish.stream_name = "s1";
    c.send(publish, 1);

    MockIO io;
    io.in = c.bytes();
    SrsRtmpServer server(&io);
    SrsRequest req;
    serve_connect(&server, &req);
    EXPECT_EQ("v.com", req.vhost);
    SrsRtmpConnType type = SrsRtmpConnUnknown;
    std::string stream;
    srs_utime_t duration = 0;
    SRS_ASSERT_OK(server.identify_client(1, &type, &stream, &duration));
    EXPECT_EQ(SrsRtmpConnFlashPublish, type);
    EXPECT_EQ("s1", stream);
    SRS_ASSERT_OK(server.start_flash_publish(1));

    ServerReplies r(io.out);
    expect_connect_replies(&r);
    r.decoder.remember_request(2, SRS_CMD_CREATE_STREAM);
    EXPECT_TRUE(r.next_packet<SrsCreateStreamResPacket>());
    expect_status(&r, SRS_STATUS_PUBLISH_START);
    EXPECT_TRUE(r.at_end());
}

TEST(ProtocolRtmpSessionTest, HaivisionPublish) {
    // FCPublish without releaseStream, a _checkbw, then createStream and publish.
    ClientScript c;
    c.send(*connect_packet("rtmp://host/live"));
    c.send(*SrsFMLEStartPacket::create(SRS_CMD_FC_PUBLISH, 2, "hv"));
    SrsCallPacket checkbw;
    checkbw.command_name = SRS_CMD_CHECK_BW;
    checkbw.transaction_id = 3;
    c.send(checkbw);
    SrsCreateStreamPacket cs;
    cs.transaction_id = 4;
    c.send(cs);
    SrsPublishPacket publish;
    publish.stream_name = "hv";
    c.send(publish, 1);

    MockIO io;
    io.in = c.bytes();
    SrsRtmpServer server(&io);
    SrsRequest req;
    serve_connect(&server, &req);
    SrsRtmpConnType type = SrsRtmpConnUnknown;
    std::string stream;
    srs_utime_t duration = 0;
    SRS_ASSERT_OK(server.identify_client(1, &type, &stream, &duration));
    EXPECT_EQ(SrsRtmpConnHaivisionPublish, type);
    EXPECT_EQ("hv", stream);
    SRS_ASSERT_OK(server.start_haivision_publish(1));

    ServerReplies r(io.out);
    expect_connect_replies(&r);
    r.decoder.remember_request(2, SRS_CMD_FC_PUBLISH);
    r.decoder.remember_request(4, SRS_CMD_CREATE_STREAM);
    EXPECT_TRUE(r.next_packet<SrsFMLEStartResPacket>());
    auto bw = r.next_packet<SrsCallResPacket>();
    ASSERT_TRUE(bw);
    EXPECT_EQ(3, bw->transaction_id);
    EXPECT_TRUE(r.next_packet<SrsCreateStreamResPacket>());
    expect_status(&r, SRS_STATUS_PUBLISH_START, SRS_CMD_ON_FC_PUBLISH);
    expect_status(&r, SRS_STATUS_PUBLISH_START);
}

TEST(ProtocolRtmpSessionTest, PlayLikeVlcAndRtmpdump) {
    // connect, createStream, SetBufferLength, play with start/duration.
    ClientScript c;
    c.send(*connect_packet("rtmp://127.0.0.1/live"));
    SrsCreateStreamPacket cs;
    c.send(cs);
    SRS_ASSERT_OK(c.protocol()->send_user_control(SrsUcSetBufferLength, 1, 36000000));
    SrsGetStreamLengthPacket len;
    len.transaction_id = 3;
    len.stream_name = "livestream";
    c.send(len);
    SrsPlayPacket play;
    play.stream_name = "livestream?token=1";
    play.duration = 5000;
    c.send(play, 1);
    SrsPausePacket pause;
    c.send(pause, 1);

    MockIO io;
    io.in = c.bytes();
    SrsRtmpServer server(&io);
    SrsRequest req;
    serve_connect(&server, &req);
    SrsRtmpConnType type = SrsRtmpConnUnknown;
    std::string stream;
    srs_utime_t duration = 0;
    SRS_ASSERT_OK(server.identify_client(1, &type, &stream, &duration));
    EXPECT_EQ(SrsRtmpConnPlay, type);
    EXPECT_FALSE(srs_client_type_is_publish(type));
    EXPECT_EQ("livestream?token=1", stream);
    EXPECT_EQ(5 * SRS_UTIME_SECONDS, duration);
    SRS_ASSERT_OK(server.start_play(1));

    // The pause arrives as a packet for the app.
    SrsMediaMessage msg;
    std::unique_ptr<SrsPacket> pkt;
    while (true) {
        SRS_ASSERT_OK(server.recv_message(&msg));
        if (SrsRtmpCommandDecoder::is_command_or_data(msg)) {
            break;
        }
    }
    SRS_ASSERT_OK(server.decode_message(msg, &pkt));
    auto* p = dynamic_cast<SrsPausePacket*>(pkt.get());
    ASSERT_NE(nullptr, p);
    SRS_ASSERT_OK(server.on_play_client_pause(1, p->is_pause));
    SRS_ASSERT_OK(server.on_play_client_pause(1, false));

    ServerReplies r(io.out);
    expect_connect_replies(&r);
    r.decoder.remember_request(2, SRS_CMD_CREATE_STREAM);
    EXPECT_TRUE(r.next_packet<SrsCreateStreamResPacket>());
    auto lr = r.next_packet<SrsCallResPacket>();
    ASSERT_TRUE(lr);
    EXPECT_EQ(3, lr->transaction_id);

    // StreamBegin before the statuses.
    ASSERT_TRUE(r.next(&msg));
    ASSERT_EQ(SrsMsgUserControl, msg.type);
    int event = -1;
    uint32_t data = 0, extra = 0;
    SRS_ASSERT_OK(srs_rtmp_decode_user_control(msg, &event, &data, &extra));
    EXPECT_EQ(SrsUcStreamBegin, event);
    EXPECT_EQ(1u, data);
    expect_status(&r, SRS_STATUS_PLAY_RESET);
    expect_status(&r, SRS_STATUS_PLAY_START);
    auto access = r.next_packet<SrsSampleAccessPacket>();
    ASSERT_TRUE(access);
    EXPECT_TRUE(access->video_sample_access);
    // No onStatus Data.Start data message: FFmpeg lists it as a "Data: none" stream.
    expect_status(&r, SRS_STATUS_PAUSE_NOTIFY);
    ASSERT_TRUE(r.next(&msg));
    SRS_ASSERT_OK(srs_rtmp_decode_user_control(msg, &event, &data, &extra));
    EXPECT_EQ(SrsUcStreamEOF, event);
    expect_status(&r, SRS_STATUS_UNPAUSE_NOTIFY);
}

TEST(ProtocolRtmpSessionTest, FlashPlayWithoutCreateStreamAnswer) {
    // A client that plays on stream 0 directly (old rtmpdump style).
    ClientScript c;
    c.send(*connect_packet("rtmp://127.0.0.1/live"));
    SrsPlayPacket play;
    play.stream_name = "s";
    c.send(play, 0);
    MockIO io;
    io.in = c.bytes();
    SrsRtmpServer server(&io);
    SrsRequest req;
    serve_connect(&server, &req);
    SrsRtmpConnType type = SrsRtmpConnUnknown;
    std::string stream;
    srs_utime_t duration = 0;
    SRS_ASSERT_OK(server.identify_client(1, &type, &stream, &duration));
    EXPECT_EQ(SrsRtmpConnPlay, type);
    EXPECT_EQ(-1, duration);
}

TEST(ProtocolRtmpSessionTest, Amf3ConnectFromFlash) {
    // Flash with objectEncoding 3 sends connect as an AMF3 command (type 17).
    auto pkt = connect_packet("rtmp://127.0.0.1/live");
    pkt->command_object->set("objectEncoding", SrsAmf0Any::number(3));
    SrsMediaMessage amf0;
    SRS_ASSERT_OK(pkt->encode(0, &amf0));
    std::string payload = std::string(1, '\0') + std::string(amf0.data(), amf0.size());
    SrsMediaMessage msg = SrsMediaMessage::create(SrsMsgAMF3Command, 0, 0, payload.data(), (int)payload.size());
    msg.cid = SRS_RTMP_CID_OVER_CONNECTION;
    ClientScript c;
    c.send_raw(msg);
    MockIO io;
    io.in = c.bytes();
    SrsRtmpServer server(&io);
    SrsRequest req;
    SRS_ASSERT_OK(server.connect_app(&req));
    EXPECT_EQ(3, req.objectEncoding);
    SRS_ASSERT_OK(server.response_connect_app(&req, "", "x"));
    ServerReplies r(io.out);
    r.decoder.remember_request(1, SRS_CMD_CONNECT);
    auto res = r.next_packet<SrsConnectAppResPacket>();
    ASSERT_TRUE(res);
    EXPECT_EQ(3, res->info->get_number("objectEncoding"));
    EXPECT_EQ(nullptr, res->info->get_property("data")->to_properties()->get_property("srs_server_ip"));
}

TEST(ProtocolRtmpSessionTest, ConnectErrors) {
    // Without tcUrl.
    {
        ClientScript c;
        SrsConnectAppPacket pkt;
        pkt.command_object->set("app", SrsAmf0Any::str("live"));
        c.send(pkt);
        MockIO io;
        io.in = c.bytes();
        SrsRtmpServer server(&io);
        SrsRequest req;
        EXPECT_EQ(ERROR_RTMP_URL_INVALID, srs_error_code(server.connect_app(&req)));
    }
    // A bad tcUrl.
    {
        ClientScript c;
        c.send(*connect_packet("not-a-url"));
        MockIO io;
        io.in = c.bytes();
        SrsRtmpServer server(&io);
        SrsRequest req;
        EXPECT_EQ(ERROR_RTMP_URL_INVALID, srs_error_code(server.connect_app(&req)));
    }
    // Nothing arrives.
    {
        MockIO io;
        SrsRtmpServer server(&io);
        SrsRequest req;
        SRS_EXPECT_FAIL(server.connect_app(&req));
    }
}

TEST(ProtocolRtmpSessionTest, ConnectRejectAndBadName) {
    ClientScript c;
    c.send(*connect_packet("rtmp://127.0.0.1/live"));
    MockIO io;
    io.in = c.bytes();
    SrsRtmpServer server(&io);
    SrsRequest req;
    SRS_ASSERT_OK(server.connect_app(&req));
    SRS_ASSERT_OK(server.response_connect_reject(&req, "vhost not allowed"));
    SRS_ASSERT_OK(server.reject_publish(1, "stream busy"));
    SRS_ASSERT_OK(server.on_publish_notify(1, true));
    SRS_ASSERT_OK(server.on_publish_notify(1, false));
    SRS_ASSERT_OK(server.reject_play(1, "no such stream"));
    SRS_ASSERT_OK(server.fmle_unpublish(1, 7));

    ServerReplies r(io.out);
    r.decoder.remember_request(1, SRS_CMD_CONNECT);
    auto res = r.next_packet<SrsConnectAppResPacket>();
    ASSERT_TRUE(res);
    EXPECT_EQ(SRS_CMD_ERROR, res->command_name);
    EXPECT_EQ(SRS_STATUS_CONNECT_REJECTED, res->info->get_string(SRS_STATUS_CODE));
    EXPECT_EQ("vhost not allowed", res->info->get_string(SRS_STATUS_DESCRIPTION));
    auto bad = r.next_packet<SrsOnStatusCallPacket>();
    ASSERT_TRUE(bad);
    EXPECT_EQ(SRS_STATUS_PUBLISH_BAD_NAME, bad->data->get_string(SRS_STATUS_CODE));
    EXPECT_EQ(SRS_STATUS_LEVEL_ERROR, bad->data->get_string(SRS_STATUS_LEVEL));
    expect_status(&r, SRS_STATUS_PLAY_PUBLISH_NOTIFY);
    expect_status(&r, SRS_STATUS_PLAY_UNPUBLISH_NOTIFY);
    expect_status(&r, SRS_STATUS_PLAY_STREAM_NOT_FOUND);
    expect_status(&r, SRS_STATUS_UNPUBLISH_SUCCESS, SRS_CMD_ON_FC_UNPUBLISH);
    r.decoder.remember_request(7, SRS_CMD_FC_UNPUBLISH);
    auto unpub = r.next_packet<SrsFMLEStartResPacket>();
    ASSERT_TRUE(unpub);
    EXPECT_EQ(7, unpub->transaction_id);
    expect_status(&r, SRS_STATUS_UNPUBLISH_SUCCESS);
}

TEST(ProtocolRtmpSessionTest, TooManyCreateStream) {
    ClientScript c;
    for (int i = 0; i < 5; i++) {
        SrsCreateStreamPacket cs;
        cs.transaction_id = 2 + i;
        c.send(cs);
    }
    MockIO io;
    io.in = c.bytes();
    SrsRtmpServer server(&io);
    SrsRtmpConnType type = SrsRtmpConnUnknown;
    std::string stream;
    srs_utime_t duration = 0;
    EXPECT_EQ(ERROR_RTMP_CLIENT_ROLE, srs_error_code(server.identify_client(1, &type, &stream, &duration)));
}

TEST(ProtocolRtmpSessionTest, IdentifyEndsWithInput) {
    ClientScript c;
    SrsCallPacket call;
    call.command_name = "someCall";
    call.transaction_id = 0;
    c.send(call);
    MockIO io;
    io.in = c.bytes();
    SrsRtmpServer server(&io);
    SrsRtmpConnType type = SrsRtmpConnUnknown;
    std::string stream;
    srs_utime_t duration = 0;
    SRS_EXPECT_FAIL(server.identify_client(1, &type, &stream, &duration));
    // A notification (tid 0) is not answered.
    EXPECT_EQ("", io.out);
}

TEST(ProtocolRtmpSessionTest, PublishWithoutCreateStream) {
    ClientScript c;
    SrsPublishPacket publish;
    publish.stream_name = "direct";
    c.send(publish, 1);
    MockIO io;
    io.in = c.bytes();
    SrsRtmpServer server(&io);
    SrsRtmpConnType type = SrsRtmpConnUnknown;
    std::string stream;
    srs_utime_t duration = 0;
    SRS_ASSERT_OK(server.identify_client(1, &type, &stream, &duration));
    EXPECT_EQ(SrsRtmpConnFlashPublish, type);
    EXPECT_EQ("direct", stream);
}

TEST(ProtocolRtmpSessionTest, ClientFailsOnCreateStreamError) {
    // The server's side of the wire: _error for createStream (tid 2).
    ClientScript server_side;
    SrsCallResPacket err_res(2);
    err_res.command_name = SRS_CMD_ERROR;
    auto info = SrsAmf0Any::object();
    info->set(SRS_STATUS_DESCRIPTION, SrsAmf0Any::str("no streams"));
    err_res.response = std::move(info);
    server_side.send(err_res);
    MockIO io;
    io.in = server_side.bytes();
    SrsRtmpClient client(&io);
    int stream_id = 0;
    EXPECT_EQ(ERROR_RTMP_ACCESS_DENIED, srs_error_code(client.create_stream(&stream_id)));
    // What the client sent is a createStream with tid 2.
    ServerReplies sent(io.out);
    auto cs = sent.next_packet<SrsCreateStreamPacket>();
    ASSERT_TRUE(cs);
    EXPECT_EQ(2, cs->transaction_id);
}

TEST(ProtocolRtmpSessionTest, ClientTypeNames) {
    EXPECT_STREQ("rtmp-play", srs_client_type_string(SrsRtmpConnPlay));
    EXPECT_STREQ("fmle-publish", srs_client_type_string(SrsRtmpConnFMLEPublish));
    EXPECT_STREQ("flash-publish", srs_client_type_string(SrsRtmpConnFlashPublish));
    EXPECT_STREQ("haivision-publish", srs_client_type_string(SrsRtmpConnHaivisionPublish));
    EXPECT_STREQ("unknown", srs_client_type_string(SrsRtmpConnUnknown));
    EXPECT_FALSE(srs_client_type_is_publish(SrsRtmpConnUnknown));
}

namespace {

// A server coroutine on a loopback socket that runs one scripted session.
class LoopbackServer : public ISrsCoroutineHandler {
public:
    enum Mode { Publish, Play, RejectConnect, RejectPublish };
    explicit LoopbackServer(Mode mode) : mode_(mode), trd_("utest-rtmp-server", this) {}

    srs_error_t listen() {
        // ST computes timeouts from the clock of its last schedule; a test that blocked the
        // process before (system(), popen()) leaves it stale, so the first timeout would fire
        // at once. A short sleep lets the scheduler refresh it.
        srs_usleep(1 * SRS_UTIME_MILLISECONDS);
        srs_error_t err = srs_tcp_listen("127.0.0.1", 0, &lfd_);
        if (err != srs_success) {
            return err;
        }
        port = srs_socket_local_port(lfd_);
        return trd_.start();
    }
    void stop() { trd_.stop(); }

    srs_error_t cycle() override {
        srs_error_t err = serve();
        if (err != srs_success) {
            error = srs_error_desc(err);
        }
        return err;
    }

    srs_error_t serve() {
        srs_error_t err = srs_success;
        SrsNetFd fd;
        if ((err = srs_tcp_accept(lfd_, 3 * SRS_UTIME_SECONDS, &fd)) != srs_success) {
            return err;
        }
        SrsStSocket skt(fd);
        SrsRtmpServer server(&skt);
        server.set_recv_timeout(3 * SRS_UTIME_SECONDS);
        server.set_send_timeout(3 * SRS_UTIME_SECONDS);
        if ((err = server.handshake()) != srs_success) {
            return err;
        }
        if ((err = server.connect_app(&req)) != srs_success) {
            return err;
        }
        if (mode_ == RejectConnect) {
            return server.response_connect_reject(&req, "denied by test");
        }
        if ((err = server.set_window_ack_size(2500000)) != srs_success) {
            return err;
        }
        if ((err = server.set_chunk_size(4096)) != srs_success) {
            return err;
        }
        if ((err = server.response_connect_app(&req, "127.0.0.1", "loop-cid")) != srs_success) {
            return err;
        }
        if ((err = server.identify_client(1, &type, &stream, &duration)) != srs_success) {
            return err;
        }
        if (mode_ == RejectPublish) {
            return server.reject_publish(1, "busy");
        }
        if (type == SrsRtmpConnFMLEPublish) {
            if ((err = server.start_fmle_publish(1)) != srs_success) {
                return err;
            }
        } else if (type == SrsRtmpConnFlashPublish) {
            if ((err = server.start_flash_publish(1)) != srs_success) {
                return err;
            }
        } else if (type == SrsRtmpConnPlay) {
            if ((err = server.start_play(1)) != srs_success) {
                return err;
            }
            // One video message to the player.
            std::string video(5000, '\x17');
            SrsMediaMessage msg = SrsMediaMessage::create(SrsMsgVideo, 40, 1, video.data(), (int)video.size());
            msg.cid = SRS_RTMP_CID_VIDEO;
            if ((err = server.send_messages(&msg, 1)) != srs_success) {
                return err;
            }
            // Then read until the player closes, so no unread byte turns the close into a reset.
        }
        // Receive media from the publisher until it unpublishes.
        while (true) {
            SrsMediaMessage msg;
            if ((err = server.recv_message(&msg)) != srs_success) {
                return err;
            }
            if (msg.is_av()) {
                media_bytes += msg.size();
                continue;
            }
            if (!SrsRtmpCommandDecoder::is_command_or_data(msg)) {
                continue;
            }
            std::unique_ptr<SrsPacket> pkt;
            if ((err = server.decode_message(msg, &pkt)) != srs_success) {
                return err;
            }
            if (auto* fmle = dynamic_cast<SrsFMLEStartPacket*>(pkt.get())) {
                unpublished = true;
                return server.fmle_unpublish(1, fmle->transaction_id);
            }
        }
    }

    int port = 0;
    SrsRequest req;
    SrsRtmpConnType type = SrsRtmpConnUnknown;
    std::string stream;
    srs_utime_t duration = 0;
    int media_bytes = 0;
    bool unpublished = false;
    // Why the server ended, for failure messages.
    std::string error;

private:
    Mode mode_;
    SrsNetFd lfd_;
    SrsCoroutine trd_;
};

srs_error_t connect_client(int port, SrsNetFd* fd) {
    return srs_tcp_connect("127.0.0.1", port, 3 * SRS_UTIME_SECONDS, fd);
}

}  // namespace

TEST(ProtocolRtmpSessionTest, LoopbackFmlePublish) {
    LoopbackServer s(LoopbackServer::Publish);
    SRS_ASSERT_OK(s.listen());
    SrsNetFd fd;
    SRS_ASSERT_OK(connect_client(s.port, &fd));
    SrsStSocket skt(fd);
    SrsRtmpClient client(&skt);
    client.set_recv_timeout(3 * SRS_UTIME_SECONDS);
    client.set_send_timeout(3 * SRS_UTIME_SECONDS);
    SRS_ASSERT_OK(client.handshake()) << s.error;
    SrsServerInfo si;
    SRS_ASSERT_OK(client.connect_app("live", srs_fmt("rtmp://127.0.0.1:%d/live", s.port), nullptr, &si));
    EXPECT_EQ("loop-cid", si.id);
    EXPECT_EQ("127.0.0.1", si.ip);
    EXPECT_EQ(SRS_SERVER_NAME, si.sig);
    int stream_id = 0;
    SRS_ASSERT_OK(client.fmle_publish("livestream?k=v", &stream_id, 4096));
    EXPECT_EQ(1, stream_id);
    std::string audio(300, '\xaf');
    std::vector<SrsMediaMessage> msgs;
    for (int i = 0; i < 10; i++) {
        SrsMediaMessage m = SrsMediaMessage::create(SrsMsgAudio, i * 23, stream_id, audio.data(), (int)audio.size());
        m.cid = SRS_RTMP_CID_AUDIO;
        msgs.push_back(m);
    }
    SRS_ASSERT_OK(client.send_messages(msgs.data(), (int)msgs.size()));
    SRS_ASSERT_OK(client.fmle_unpublish("livestream?k=v", stream_id));
    // The server answers the unpublish; wait for its onStatus.
    std::unique_ptr<SrsOnStatusCallPacket> st;
    while (true) {
        SRS_ASSERT_OK(client.expect_packet(&st));
        if (st->command_name == SRS_CMD_ON_STATUS) {
            break;
        }
    }
    EXPECT_EQ(SRS_STATUS_UNPUBLISH_SUCCESS, st->data->get_string(SRS_STATUS_CODE));
    s.stop();
    EXPECT_EQ(SrsRtmpConnFMLEPublish, s.type);
    EXPECT_EQ("livestream?k=v", s.stream);
    EXPECT_EQ("live", s.req.app);
    EXPECT_EQ(s.port, s.req.port);
    EXPECT_EQ(3000, s.media_bytes);
    EXPECT_TRUE(s.unpublished);
}

TEST(ProtocolRtmpSessionTest, LoopbackFlashPublishAndPlay) {
    {
        LoopbackServer s(LoopbackServer::Publish);
        SRS_ASSERT_OK(s.listen());
        SrsNetFd fd;
        SRS_ASSERT_OK(connect_client(s.port, &fd));
        SrsStSocket skt(fd);
        SrsRtmpClient client(&skt);
        client.set_recv_timeout(3 * SRS_UTIME_SECONDS);
        SRS_ASSERT_OK(client.handshake());
        SRS_ASSERT_OK(client.connect_app("live", "rtmp://127.0.0.1/live"));
        int stream_id = 0;
        SRS_ASSERT_OK(client.create_stream(&stream_id));
        SRS_ASSERT_OK(client.publish("flash", stream_id));
        fd.close();
        s.stop();
        EXPECT_EQ(SrsRtmpConnFlashPublish, s.type);
        EXPECT_EQ("flash", s.stream);
    }
    {
        LoopbackServer s(LoopbackServer::Play);
        SRS_ASSERT_OK(s.listen());
        SrsNetFd fd;
        SRS_ASSERT_OK(connect_client(s.port, &fd));
        SrsStSocket skt(fd);
        SrsRtmpClient client(&skt);
        client.set_recv_timeout(3 * SRS_UTIME_SECONDS);
        SRS_ASSERT_OK(client.handshake(true));
        SRS_ASSERT_OK(client.connect_app("live", "rtmp://127.0.0.1/live"));
        int stream_id = 0;
        SRS_ASSERT_OK(client.create_stream(&stream_id));
        SRS_ASSERT_OK(client.play("livestream", stream_id));
        // Statuses, then the video message.
        int statuses = 0;
        while (true) {
            SrsMediaMessage msg;
            SRS_ASSERT_OK(client.recv_message(&msg));
            if (msg.is_video()) {
                EXPECT_EQ(5000, msg.size());
                EXPECT_EQ(40, msg.timestamp);
                break;
            }
            if (msg.type == SrsMsgAMF0Command) {
                statuses++;
            }
        }
        EXPECT_EQ(2, statuses);
        fd.close();
        s.stop();
        EXPECT_EQ(SrsRtmpConnPlay, s.type);
    }
}

TEST(ProtocolRtmpSessionTest, LoopbackRejects) {
    {
        LoopbackServer s(LoopbackServer::RejectConnect);
        SRS_ASSERT_OK(s.listen());
        SrsNetFd fd;
        SRS_ASSERT_OK(connect_client(s.port, &fd));
        SrsStSocket skt(fd);
        SrsRtmpClient client(&skt);
        client.set_recv_timeout(3 * SRS_UTIME_SECONDS);
        SRS_ASSERT_OK(client.handshake());
        EXPECT_EQ(ERROR_RTMP_CONNECT_REJECTED, srs_error_code(client.connect_app("live", "rtmp://127.0.0.1/live")));
        s.stop();
    }
    {
        LoopbackServer s(LoopbackServer::RejectPublish);
        SRS_ASSERT_OK(s.listen());
        SrsNetFd fd;
        SRS_ASSERT_OK(connect_client(s.port, &fd));
        SrsStSocket skt(fd);
        SrsRtmpClient client(&skt);
        client.set_recv_timeout(3 * SRS_UTIME_SECONDS);
        SRS_ASSERT_OK(client.handshake());
        SRS_ASSERT_OK(client.connect_app("live", "rtmp://127.0.0.1/live"));
        int stream_id = 0;
        SRS_ASSERT_OK(client.create_stream(&stream_id));
        EXPECT_EQ(ERROR_RTMP_PUBLISH_REJECTED, srs_error_code(client.publish("busy", stream_id)));
        s.stop();
    }
}

namespace {

// The AMF0 bytes of one value.
std::string amf0_bytes(const SrsAmf0Any& v) {
    std::string out(v.total_size(), '\0');
    SrsBuffer buf(&out[0], (int)out.size());
    srs_error_t err = v.write(&buf);
    EXPECT_TRUE(err == srs_success) << srs_error_desc(err);
    srs_error_reset(err);
    return out;
}

// AMF0 strict array (marker 0x0a, UI32 count) of short strings (marker 0x02, UI16 length).
std::string amf0_string_array(const std::vector<std::string>& v) {
    std::string s = std::string("\x0a\x00\x00\x00", 4) + (char)v.size();
    for (const std::string& e : v) {
        s += std::string("\x02\x00", 2) + (char)e.size() + e;
    }
    return s;
}

const std::vector<std::string> kServerFourCcs = {"av01", "vp09", "hvc1", "avc1", "Opus",
                                                 "mp4a", ".mp3", "ac-3", "ec-3", "fLaC"};

// relay: the server's own client, which adds "*" to its list.
void expect_enhanced_announce(const SrsAmf0Object* obj, bool relay = false) {
    const SrsAmf0Any* list = obj->get_property("fourCcList");
    ASSERT_TRUE(list && list->is_strict_array());
    std::vector<std::string> want = kServerFourCcs;
    if (relay) {
        want.push_back("*");
    }
    EXPECT_EQ(amf0_string_array(want), amf0_bytes(*list));
    const SrsAmf0Any* video = obj->get_property("videoFourCcInfoMap");
    ASSERT_TRUE(video && video->to_properties());
    EXPECT_EQ(4, video->to_properties()->count());
    // A relay forwards every FourCC (CanForward 4) and decodes/encodes none.
    EXPECT_EQ(std::string("\x00\x04hvc1\x00\x40\x10\x00\x00\x00\x00\x00\x00", 15),
              amf0_bytes(*video).substr(1 + 2 * (2 + 4 + 9), 15));
    for (const char* f : {"av01", "vp09", "hvc1", "avc1"}) {
        EXPECT_EQ(4, video->to_properties()->get_number(f, -1)) << f;
    }
    const SrsAmf0Any* audio = obj->get_property("audioFourCcInfoMap");
    ASSERT_TRUE(audio && audio->to_properties());
    EXPECT_EQ(6, audio->to_properties()->count());
    for (const char* f : {"Opus", "mp4a", ".mp3", "ac-3", "ec-3", "fLaC"}) {
        EXPECT_EQ(4, audio->to_properties()->get_number(f, -1)) << f;
    }
    // capsEx: Multitrack 2 | ModEx 4 | TimestampNanoOffset 8; no Reconnect (1).
    EXPECT_EQ(14, obj->get_number("capsEx", -1));
}

}  // namespace

TEST(ProtocolRtmpSessionTest, EnhancedConnectServerSide) {
    // An enhanced client (OBS 30 / FFmpeg 7 style): fourCcList, an info map and capsEx.
    auto pkt = connect_packet("rtmp://127.0.0.1/live");
    auto list = SrsAmf0Any::strict_array();
    list->append(SrsAmf0Any::str("hvc1"));
    list->append(SrsAmf0Any::str("av01"));
    list->append(SrsAmf0Any::number(7));  // not a string: ignored
    pkt->command_object->set("fourCcList", std::move(list));
    auto vmap = SrsAmf0Any::object();
    vmap->set("hvc1", SrsAmf0Any::number(3));
    pkt->command_object->set("videoFourCcInfoMap", std::move(vmap));
    pkt->command_object->set("capsEx", SrsAmf0Any::number(2));
    ClientScript c;
    c.send(*pkt);
    MockIO io;
    io.in = c.bytes();
    SrsRtmpServer server(&io);
    SrsRequest req;
    SRS_ASSERT_OK(server.connect_app(&req));
    EXPECT_EQ((std::vector<std::string>{"hvc1", "av01"}), req.fourcc_list);
    EXPECT_EQ(2, req.caps_ex);
    EXPECT_EQ(req.fourcc_list, req.copy()->fourcc_list);

    SRS_ASSERT_OK(server.response_connect_app(&req, "", "x"));
    ServerReplies r(io.out);
    r.decoder.remember_request(1, SRS_CMD_CONNECT);
    auto res = r.next_packet<SrsConnectAppResPacket>();
    ASSERT_TRUE(res);
    expect_enhanced_announce(res->props.get());
    // The legacy properties are unchanged.
    EXPECT_EQ(SRS_RTMP_FMS_VERSION, res->props->get_string("fmsVer"));
    EXPECT_EQ(127, res->props->get_number("capabilities"));

    // A v2 client with the info maps only: the FourCCs it can decode (1) or forward (4).
    auto v2 = connect_packet("rtmp://127.0.0.1/live");
    auto v2video = SrsAmf0Any::object();
    v2video->set("hvc1", SrsAmf0Any::number(SrsRtmpFourCcCanDecode | SrsRtmpFourCcCanEncode));
    v2video->set("av01", SrsAmf0Any::number(SrsRtmpFourCcCanEncode));
    v2->command_object->set("videoFourCcInfoMap", std::move(v2video));
    auto v2audio = SrsAmf0Any::object();
    v2audio->set("*", SrsAmf0Any::number(SrsRtmpFourCcCanForward));
    v2->command_object->set("audioFourCcInfoMap", std::move(v2audio));
    ClientScript c3;
    c3.send(*v2);
    MockIO io3;
    io3.in = c3.bytes();
    SrsRtmpServer server3(&io3);
    SrsRequest req3;
    SRS_ASSERT_OK(server3.connect_app(&req3));
    EXPECT_EQ((std::vector<std::string>{"hvc1", "*"}), req3.fourcc_list);

    // A legacy client announces nothing.
    ClientScript legacy;
    legacy.send(*connect_packet("rtmp://127.0.0.1/live"));
    MockIO io2;
    io2.in = legacy.bytes();
    SrsRtmpServer server2(&io2);
    SrsRequest req2;
    SRS_ASSERT_OK(server2.connect_app(&req2));
    EXPECT_TRUE(req2.fourcc_list.empty());
    EXPECT_EQ(0, req2.caps_ex);
}

TEST(ProtocolRtmpSessionTest, EnhancedConnectClientSide) {
    // The origin's _result, then what the server's own client (forward, edge, ingest) sent.
    ClientScript origin;
    SrsConnectAppResPacket res;
    res.props->set("fmsVer", SrsAmf0Any::str("FMS/3,5,3,888"));
    res.info->set(SRS_STATUS_CODE, SrsAmf0Any::str(SRS_STATUS_CONNECT_SUCCESS));
    origin.send(res);
    MockIO io;
    io.in = origin.bytes();
    SrsRtmpClient client(&io);
    SRS_ASSERT_OK(client.connect_app("live", "rtmp://127.0.0.1/live"));

    ServerReplies sent(io.out);
    auto connect = sent.next_packet<SrsConnectAppPacket>();
    ASSERT_TRUE(connect);
    EXPECT_EQ("live", connect->command_object->get_string("app"));
    expect_enhanced_announce(connect->command_object.get(), true);
}
