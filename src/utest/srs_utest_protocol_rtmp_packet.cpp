#include <gtest/gtest.h>

#include <srs_protocol_rtmp_packet.hpp>
#include <srs_utest_protocol_helper.hpp>

namespace {

std::string payload_of(const SrsMediaMessage& msg) {
    return std::string(msg.data(), msg.size());
}

SrsMediaMessage message_of(uint8_t type, const std::string& bytes) {
    return SrsMediaMessage::create(type, 0, 1, bytes.data(), (int)bytes.size());
}

// Encodes a packet and decodes it back with a decoder.
template <typename T>
std::unique_ptr<T> round_trip(const SrsPacket& pkt, SrsRtmpCommandDecoder* dec = nullptr, int stream_id = 1) {
    SrsMediaMessage msg;
    srs_error_t err = pkt.encode(stream_id, &msg);
    EXPECT_TRUE(err == srs_success) << srs_error_desc(err);
    EXPECT_EQ(pkt.message_type(), msg.type);
    EXPECT_EQ(pkt.prefer_cid(), msg.cid);
    EXPECT_EQ(stream_id, msg.stream_id);
    SrsRtmpCommandDecoder local;
    std::unique_ptr<SrsPacket> out;
    err = (dec ? dec : &local)->decode(msg, &out);
    EXPECT_TRUE(err == srs_success) << srs_error_desc(err);
    if (err != srs_success) {
        return nullptr;
    }
    T* typed = dynamic_cast<T*>(out.get());
    EXPECT_NE(nullptr, typed);
    if (!typed) {
        return nullptr;
    }
    out.release();
    return std::unique_ptr<T>(typed);
}

}  // namespace

TEST(ProtocolRtmpPacketTest, ConnectExactBytes) {
    SrsConnectAppPacket pkt;
    pkt.command_object->set("app", SrsAmf0Any::str("live"));
    SrsMediaMessage msg;
    SRS_ASSERT_OK(pkt.encode(0, &msg));
    EXPECT_EQ(SrsMsgAMF0Command, msg.type);
    EXPECT_EQ(SRS_RTMP_CID_OVER_CONNECTION, msg.cid);
    EXPECT_EQ(srs_utest_hex("02 0007 'c'o'n'n'e'c't 00 3FF0000000000000 03 0003 'a'p'p 02 0004 'l'i'v'e 000009"),
              payload_of(msg));
}

TEST(ProtocolRtmpPacketTest, ConnectFromFfmpegBytes) {
    // What ffmpeg's librtmp-compatible muxer sends, with an extra user argument object.
    std::string bytes = srs_utest_hex(
        "02 0007 'c'o'n'n'e'c't 00 3FF0000000000000 03"
        " 0003 'a'p'p 02 0004 'l'i'v'e"
        " 0004 't'y'p'e 02 000A 'n'o'n'p'r'i'v'a't'e"
        " 0005 't'c'U'r'l 02 0015 'r't'm'p':'/'/'l'o'c'a'l'h'o's't'/'l'i'v'e"
        " 000009"
        " 03 0001 'u 02 0001 'x 000009");
    SrsRtmpCommandDecoder dec;
    std::unique_ptr<SrsPacket> pkt;
    SRS_ASSERT_OK(dec.decode(message_of(SrsMsgAMF0Command, bytes), &pkt));
    auto* c = dynamic_cast<SrsConnectAppPacket*>(pkt.get());
    ASSERT_NE(nullptr, c);
    EXPECT_EQ(1, c->transaction_id);
    EXPECT_EQ("live", c->command_object->get_string("app"));
    EXPECT_EQ("rtmp://localhost/live", c->command_object->get_string("tcUrl"));
    ASSERT_TRUE(c->args);
    EXPECT_EQ("x", c->args->get_string("u"));

    // Re-encoding gives the same bytes.
    SrsMediaMessage msg;
    SRS_ASSERT_OK(c->encode(0, &msg));
    EXPECT_EQ(bytes, payload_of(msg));

    // Every truncation fails cleanly (the trailing args object is optional, so stop before it).
    for (size_t n = 0; n < bytes.size() - 12; n++) {
        std::unique_ptr<SrsPacket> p;
        SRS_EXPECT_FAIL(dec.decode(message_of(SrsMsgAMF0Command, bytes.substr(0, n)), &p)) << n;
    }
}

TEST(ProtocolRtmpPacketTest, ConnectWithoutObjectFails) {
    SrsRtmpCommandDecoder dec;
    std::unique_ptr<SrsPacket> pkt;
    SRS_EXPECT_FAIL(dec.decode(
        message_of(SrsMsgAMF0Command, srs_utest_hex("02 0007 'c'o'n'n'e'c't 00 3FF0000000000000 05")), &pkt));
}

TEST(ProtocolRtmpPacketTest, Amf3CommandEnvelope) {
    // Type 17: a 0x00 format byte, then AMF0 values; the command object switches to AMF3.
    std::string bytes = srs_utest_hex(
        "00 02 0007 'c'o'n'n'e'c't 00 3FF0000000000000"
        " 11 0A 0B 01 07 'a'p'p 06 09 'l'i'v'e 01");
    SrsRtmpCommandDecoder dec;
    std::unique_ptr<SrsPacket> pkt;
    SRS_ASSERT_OK(dec.decode(message_of(SrsMsgAMF3Command, bytes), &pkt));
    auto* c = dynamic_cast<SrsConnectAppPacket*>(pkt.get());
    ASSERT_NE(nullptr, c);
    EXPECT_EQ("live", c->command_object->get_string("app"));

    // Type 15 data with the envelope byte.
    SrsOnMetaDataPacket meta;
    meta.metadata->to_properties()->set("width", SrsAmf0Any::number(640));
    SrsMediaMessage msg;
    SRS_ASSERT_OK(meta.encode(1, &msg));
    std::string data = std::string(1, '\0') + payload_of(msg);
    SRS_ASSERT_OK(dec.decode(message_of(SrsMsgAMF3Data, data), &pkt));
    auto* m = dynamic_cast<SrsOnMetaDataPacket*>(pkt.get());
    ASSERT_NE(nullptr, m);
    EXPECT_EQ(640, m->properties()->get_number("width"));
}

TEST(ProtocolRtmpPacketTest, ConnectResultAndServerData) {
    SrsConnectAppResPacket res;
    res.props->set("fmsVer", SrsAmf0Any::str(SRS_RTMP_FMS_VERSION));
    res.props->set("capabilities", SrsAmf0Any::number(SRS_RTMP_FMS_CAPABILITIES));
    res.info->set(SRS_STATUS_CODE, SrsAmf0Any::str(SRS_STATUS_CONNECT_SUCCESS));
    auto data = SrsAmf0Any::ecma_array();
    data->set("srs_id", SrsAmf0Any::str("abc"));
    res.info->set("data", std::move(data));

    SrsRtmpCommandDecoder dec;
    dec.remember_request(1, SRS_CMD_CONNECT);
    auto out = round_trip<SrsConnectAppResPacket>(res, &dec, 0);
    ASSERT_TRUE(out);
    EXPECT_EQ(SRS_RTMP_FMS_VERSION, out->props->get_string("fmsVer"));
    EXPECT_EQ(SRS_STATUS_CONNECT_SUCCESS, out->info->get_string(SRS_STATUS_CODE));
    EXPECT_EQ("abc", out->info->get_property("data")->to_properties()->get_string("srs_id"));
    // The request is forgotten once answered: a second _result is generic.
    EXPECT_EQ("", dec.request_name(1));
    EXPECT_TRUE(round_trip<SrsCallResPacket>(res, &dec, 0));
}

TEST(ProtocolRtmpPacketTest, ConnectRejectDecodesAsConnectResponse) {
    SrsConnectAppResPacket res;
    res.command_name = SRS_CMD_ERROR;
    res.props.reset();
    res.info->set(SRS_STATUS_CODE, SrsAmf0Any::str(SRS_STATUS_CONNECT_REJECTED));
    SrsRtmpCommandDecoder dec;
    dec.remember_request(1, SRS_CMD_CONNECT);
    auto out = round_trip<SrsConnectAppResPacket>(res, &dec, 0);
    ASSERT_TRUE(out);
    EXPECT_EQ(SRS_CMD_ERROR, out->command_name);
    EXPECT_EQ(nullptr, out->props);
    EXPECT_EQ(SRS_STATUS_CONNECT_REJECTED, out->info->get_string(SRS_STATUS_CODE));
}

TEST(ProtocolRtmpPacketTest, CreateStream) {
    SrsCreateStreamPacket req;
    req.transaction_id = 4;
    double tid = 0;
    std::string name;
    EXPECT_TRUE(req.expects_response(&tid, &name));
    EXPECT_EQ(4, tid);
    EXPECT_EQ(SRS_CMD_CREATE_STREAM, name);
    auto in = round_trip<SrsCreateStreamPacket>(req, nullptr, 0);
    ASSERT_TRUE(in);
    EXPECT_EQ(4, in->transaction_id);

    SrsRtmpCommandDecoder dec;
    dec.remember_request(4, SRS_CMD_CREATE_STREAM);
    SrsCreateStreamResPacket res(4, 1);
    auto out = round_trip<SrsCreateStreamResPacket>(res, &dec, 0);
    ASSERT_TRUE(out);
    EXPECT_EQ(4, out->transaction_id);
    EXPECT_EQ(1, out->stream_id);
}

TEST(ProtocolRtmpPacketTest, FmleStartAndResult) {
    for (const char* cmd : {SRS_CMD_RELEASE_STREAM, SRS_CMD_FC_PUBLISH, SRS_CMD_FC_UNPUBLISH}) {
        auto pkt = SrsFMLEStartPacket::create(cmd, 2, "livestream");
        auto in = round_trip<SrsFMLEStartPacket>(*pkt);
        ASSERT_TRUE(in);
        EXPECT_EQ(cmd, in->command_name);
        EXPECT_EQ(2, in->transaction_id);
        EXPECT_EQ("livestream", in->stream_name);

        SrsRtmpCommandDecoder dec;
        dec.remember_request(2, cmd);
        SrsFMLEStartResPacket res(2);
        auto out = round_trip<SrsFMLEStartResPacket>(res, &dec);
        ASSERT_TRUE(out);
        EXPECT_EQ(2, out->transaction_id);
    }
    // FCUnpublish without a name is accepted.
    SrsRtmpCommandDecoder dec;
    std::unique_ptr<SrsPacket> p;
    SRS_EXPECT_OK(dec.decode(
        message_of(SrsMsgAMF0Command, srs_utest_hex("02 000B 'F'C'U'n'p'u'b'l'i's'h 00 4014000000000000 05")), &p));
    ASSERT_NE(nullptr, dynamic_cast<SrsFMLEStartPacket*>(p.get()));
}

TEST(ProtocolRtmpPacketTest, Publish) {
    SrsPublishPacket pkt;
    pkt.stream_name = "livestream?token=abc";
    auto in = round_trip<SrsPublishPacket>(pkt);
    ASSERT_TRUE(in);
    EXPECT_EQ("livestream?token=abc", in->stream_name);
    EXPECT_EQ("live", in->type);
    EXPECT_EQ(SRS_RTMP_CID_OVER_STREAM, pkt.prefer_cid());
    // The type is optional.
    SrsRtmpCommandDecoder dec;
    std::unique_ptr<SrsPacket> p;
    SRS_EXPECT_OK(dec.decode(
        message_of(SrsMsgAMF0Command, srs_utest_hex("02 0007 'p'u'b'l'i's'h 00 0000000000000000 05 02 0001 's")), &p));
    EXPECT_EQ("s", dynamic_cast<SrsPublishPacket*>(p.get())->stream_name);
    // Without the stream name it fails.
    SRS_EXPECT_FAIL(
        dec.decode(message_of(SrsMsgAMF0Command, srs_utest_hex("02 0007 'p'u'b'l'i's'h 00 0000000000000000 05")), &p));
}

TEST(ProtocolRtmpPacketTest, Play) {
    SrsPlayPacket pkt;
    pkt.stream_name = "livestream";
    pkt.start = -1;
    pkt.duration = 30;
    pkt.reset = false;
    auto in = round_trip<SrsPlayPacket>(pkt);
    ASSERT_TRUE(in);
    EXPECT_EQ("livestream", in->stream_name);
    EXPECT_EQ(-1, in->start);
    EXPECT_EQ(30, in->duration);
    EXPECT_FALSE(in->reset);

    // Only the name (VLC/rtmpdump may stop there), and a numeric reset.
    SrsRtmpCommandDecoder dec;
    std::unique_ptr<SrsPacket> p;
    SRS_ASSERT_OK(dec.decode(
        message_of(SrsMsgAMF0Command, srs_utest_hex("02 0004 'p'l'a'y 00 4010000000000000 05 02 0001 's")), &p));
    auto* play = dynamic_cast<SrsPlayPacket*>(p.get());
    ASSERT_NE(nullptr, play);
    EXPECT_EQ(-2, play->start);
    EXPECT_EQ(-1, play->duration);
    EXPECT_TRUE(play->reset);
    SRS_ASSERT_OK(dec.decode(
        message_of(SrsMsgAMF0Command, srs_utest_hex("02 0004 'p'l'a'y 00 4010000000000000 05 02 0001 's"
                                                    " 00 0000000000000000 00 BFF0000000000000 00 0000000000000000")),
        &p));
    EXPECT_FALSE(dynamic_cast<SrsPlayPacket*>(p.get())->reset);
    // A reset of another type fails.
    SRS_EXPECT_FAIL(
        dec.decode(message_of(SrsMsgAMF0Command, srs_utest_hex("02 0004 'p'l'a'y 00 4010000000000000 05 02 0001 's"
                                                               " 00 0000000000000000 00 BFF0000000000000 02 0000")),
                   &p));
}

TEST(ProtocolRtmpPacketTest, Play2PauseReceiveAVDeleteClose) {
    SrsPlay2Packet play2;
    play2.params->set("streamName", SrsAmf0Any::str("next"));
    play2.params->set("transition", SrsAmf0Any::str("switch"));
    auto p2 = round_trip<SrsPlay2Packet>(play2);
    ASSERT_TRUE(p2);
    EXPECT_EQ("next", p2->stream_name());

    SrsPausePacket pause;
    pause.is_pause = false;
    pause.time_ms = 1234;
    auto pz = round_trip<SrsPausePacket>(pause);
    ASSERT_TRUE(pz);
    EXPECT_FALSE(pz->is_pause);
    EXPECT_EQ(1234, pz->time_ms);

    SrsReceiveAVPacket rv;
    rv.command_name = SRS_CMD_RECEIVE_VIDEO;
    rv.enabled = false;
    auto r = round_trip<SrsReceiveAVPacket>(rv);
    ASSERT_TRUE(r);
    EXPECT_EQ(SRS_CMD_RECEIVE_VIDEO, r->command_name);
    EXPECT_FALSE(r->enabled);

    SrsDeleteStreamPacket del;
    del.stream_id = 1;
    auto d = round_trip<SrsDeleteStreamPacket>(del);
    ASSERT_TRUE(d);
    EXPECT_EQ(1, d->stream_id);

    SrsCloseStreamPacket close;
    EXPECT_TRUE(round_trip<SrsCloseStreamPacket>(close));

    SrsGetStreamLengthPacket len;
    len.transaction_id = 3;
    len.stream_name = "s";
    auto l = round_trip<SrsGetStreamLengthPacket>(len);
    ASSERT_TRUE(l);
    EXPECT_EQ("s", l->stream_name);

    SrsPlayResPacket pres;
    pres.desc->set(SRS_STATUS_CODE, SrsAmf0Any::str(SRS_STATUS_PLAY_START));
    SrsMediaMessage msg;
    SRS_EXPECT_OK(pres.encode(1, &msg));
    std::string bytes = payload_of(msg);
    SrsBuffer buf(&bytes[0], (int)bytes.size());
    SrsPlayResPacket decoded;
    SRS_EXPECT_OK(decoded.decode(&buf));
    EXPECT_EQ(SRS_STATUS_PLAY_START, decoded.desc->get_string(SRS_STATUS_CODE));
}

TEST(ProtocolRtmpPacketTest, OnStatusCallAndData) {
    auto st = SrsOnStatusCallPacket::create(SRS_STATUS_LEVEL_STATUS, SRS_STATUS_PUBLISH_START, "Started.");
    st->data->set(SRS_STATUS_CLIENT_ID, SrsAmf0Any::str("ASAICiss"));
    auto in = round_trip<SrsOnStatusCallPacket>(*st);
    ASSERT_TRUE(in);
    EXPECT_EQ(SRS_CMD_ON_STATUS, in->command_name);
    EXPECT_EQ(SRS_STATUS_PUBLISH_START, in->data->get_string(SRS_STATUS_CODE));
    EXPECT_EQ("status", in->data->get_string(SRS_STATUS_LEVEL));
    std::string what;
    EXPECT_FALSE(SrsOnStatusCallPacket::is_error(in.get(), &what));
    EXPECT_FALSE(SrsOnStatusCallPacket::is_error(nullptr, &what));
    auto refused = SrsOnStatusCallPacket::create(SRS_STATUS_LEVEL_ERROR, "NetStream.Play.StreamNotFound", "No such.");
    EXPECT_TRUE(SrsOnStatusCallPacket::is_error(refused.get(), &what));
    EXPECT_EQ("NetStream.Play.StreamNotFound No such.", what);

    auto fc = SrsOnStatusCallPacket::create(SRS_STATUS_LEVEL_STATUS, SRS_STATUS_PUBLISH_START, "x");
    fc->command_name = SRS_CMD_ON_FC_PUBLISH;
    auto fin = round_trip<SrsOnStatusCallPacket>(*fc);
    ASSERT_TRUE(fin);
    EXPECT_EQ(SRS_CMD_ON_FC_PUBLISH, fin->command_name);

    SrsOnStatusDataPacket data;
    data.data->set(SRS_STATUS_CODE, SrsAmf0Any::str(SRS_STATUS_DATA_START));
    auto din = round_trip<SrsOnStatusDataPacket>(data);
    ASSERT_TRUE(din);
    EXPECT_EQ(SRS_STATUS_DATA_START, din->data->get_string(SRS_STATUS_CODE));
    EXPECT_EQ(SrsMsgAMF0Data, data.message_type());
}

TEST(ProtocolRtmpPacketTest, SampleAccessAndBWDone) {
    SrsSampleAccessPacket sa;
    sa.video_sample_access = true;
    auto in = round_trip<SrsSampleAccessPacket>(sa);
    ASSERT_TRUE(in);
    EXPECT_TRUE(in->video_sample_access);
    EXPECT_FALSE(in->audio_sample_access);

    SrsOnBWDonePacket bw;
    EXPECT_TRUE(round_trip<SrsOnBWDonePacket>(bw, nullptr, 0));
}

TEST(ProtocolRtmpPacketTest, MetadataForms) {
    // @setDataFrame onMetaData {ecma} from an encoder.
    std::string bytes = srs_utest_hex(
        "02 000D '@'s'e't'D'a't'a'F'r'a'm'e 02 000A 'o'n'M'e't'a'D'a't'a"
        " 08 00000001 0005 'w'i'd't'h 00 4084000000000000 000009");
    SrsRtmpCommandDecoder dec;
    std::unique_ptr<SrsPacket> p;
    SRS_ASSERT_OK(dec.decode(message_of(SrsMsgAMF0Data, bytes), &p));
    auto* m = dynamic_cast<SrsOnMetaDataPacket*>(p.get());
    ASSERT_NE(nullptr, m);
    EXPECT_TRUE(m->set_data_frame);
    EXPECT_EQ(SRS_DATA_ON_METADATA, m->name);
    EXPECT_TRUE(m->metadata->is_ecma_array());
    EXPECT_EQ(640, m->properties()->get_number("width"));
    // Encoded for players as onMetaData without the wrapper, at the encoder's time.
    SrsMediaMessage msg;
    SRS_ASSERT_OK(m->to_on_metadata(1, 1234, &msg));
    EXPECT_EQ(bytes.substr(16), payload_of(msg));
    EXPECT_EQ(SRS_RTMP_CID_OVER_CONNECTION2, msg.cid);
    EXPECT_EQ(1234, msg.timestamp);
    EXPECT_FALSE(m->set_data_frame);

    // onMetaData with an object.
    SRS_ASSERT_OK(dec.decode(
        message_of(SrsMsgAMF0Data, srs_utest_hex("02 000A 'o'n'M'e't'a'D'a't'a 03 0001 'a 01 01 000009")), &p));
    m = dynamic_cast<SrsOnMetaDataPacket*>(p.get());
    ASSERT_NE(nullptr, m);
    EXPECT_TRUE(m->metadata->is_object());
    EXPECT_FALSE(m->set_data_frame);
    // Without properties it is kept empty.
    SRS_ASSERT_OK(dec.decode(message_of(SrsMsgAMF0Data, srs_utest_hex("02 000A 'o'n'M'e't'a'D'a't'a")), &p));
    EXPECT_EQ(0, dynamic_cast<SrsOnMetaDataPacket*>(p.get())->properties()->count());

    // @setDataFrame wrapping another frame (found by the fuzzer as onStatus) is plain data,
    // kept as it came: as metadata it would replace the stream's, and encode as an onStatus.
    for (const char* wrapped : {"02 0008 'o'n'S't'a't'u's 03 0001 'a 01 01 000009", "01 01", ""}) {
        std::string data = srs_utest_hex((std::string("02 000D '@'s'e't'D'a't'a'F'r'a'm'e ") + wrapped).c_str());
        SRS_ASSERT_OK(dec.decode(message_of(SrsMsgAMF0Data, data), &p));
        auto* d = dynamic_cast<SrsDataPacket*>(p.get());
        ASSERT_NE(nullptr, d) << wrapped;
        EXPECT_EQ(SRS_DATA_SET_DATAFRAME, d->name);
        SrsMediaMessage out;
        SRS_ASSERT_OK(d->encode(1, &out));
        EXPECT_EQ(data, payload_of(out));
    }
}

TEST(ProtocolRtmpPacketTest, GenericCallAndData) {
    SrsCallPacket call;
    call.command_name = SRS_CMD_CHECK_BW;
    call.transaction_id = 5;
    call.arguments = SrsAmf0Any::str("x");
    auto in = round_trip<SrsCallPacket>(call);
    ASSERT_TRUE(in);
    EXPECT_EQ(SRS_CMD_CHECK_BW, in->command_name);
    EXPECT_EQ(5, in->transaction_id);
    EXPECT_TRUE(in->command_object->is_null());
    EXPECT_EQ("x", in->arguments->to_str());
    double tid = 0;
    std::string name;
    EXPECT_TRUE(call.expects_response(&tid, &name));
    call.transaction_id = 0;
    EXPECT_FALSE(call.expects_response(&tid, &name));

    // An answer to an unknown request is generic.
    SrsCallResPacket res(9);
    res.response = SrsAmf0Any::number(3);
    auto out = round_trip<SrsCallResPacket>(res);
    ASSERT_TRUE(out);
    EXPECT_EQ(3, out->response->to_number());

    SrsDataPacket data;
    data.name = "onTextData";
    auto obj = SrsAmf0Any::object();
    obj->set("text", SrsAmf0Any::str("hi"));
    data.values.push_back(std::move(obj));
    auto d = round_trip<SrsDataPacket>(data);
    ASSERT_TRUE(d);
    EXPECT_EQ("onTextData", d->name);
    ASSERT_EQ(1u, d->values.size());
    EXPECT_EQ("hi", d->values[0]->to_properties()->get_string("text"));
}

TEST(ProtocolRtmpPacketTest, DecoderRejectsBadMessages) {
    SrsRtmpCommandDecoder dec;
    std::unique_ptr<SrsPacket> p;
    SRS_EXPECT_FAIL(dec.decode(message_of(SrsMsgAudio, "abc"), &p));
    SRS_EXPECT_FAIL(dec.decode(message_of(SrsMsgAMF0Command, ""), &p));
    SRS_EXPECT_FAIL(dec.decode(message_of(SrsMsgAMF0Command, srs_utest_hex("05")), &p));
    // A name without transaction id.
    SRS_EXPECT_FAIL(dec.decode(message_of(SrsMsgAMF0Command, srs_utest_hex("02 0004 'p'l'a'y")), &p));
    SRS_EXPECT_FAIL(dec.decode(message_of(SrsMsgAMF3Command, srs_utest_hex("00")), &p));
    SRS_EXPECT_FAIL(dec.decode(message_of(SrsMsgAMF0Data, srs_utest_hex("00 0000000000000000")), &p));
    EXPECT_FALSE(SrsRtmpCommandDecoder::is_command_or_data(message_of(SrsMsgVideo, "")));
    EXPECT_TRUE(SrsRtmpCommandDecoder::is_command_or_data(message_of(SrsMsgAMF3Data, "")));
}

TEST(ProtocolRtmpPacketTest, RememberedRequestsAreBounded) {
    SrsRtmpCommandDecoder dec;
    for (int i = 0; i < 1000; i++) {
        dec.remember_request(i, "call");
    }
    EXPECT_EQ("", dec.request_name(0));
    EXPECT_EQ("call", dec.request_name(999));
}

TEST(ProtocolRtmpPacketTest, FfmpegReleaseStreamExactBytes) {
    // ffmpeg: releaseStream, tid 2, null, "livestream".
    std::string bytes =
        srs_utest_hex("02 000D 'r'e'l'e'a's'e'S't'r'e'a'm 00 4000000000000000 05 02 000A 'l'i'v'e's't'r'e'a'm");
    auto pkt = SrsFMLEStartPacket::create(SRS_CMD_RELEASE_STREAM, 2, "livestream");
    SrsMediaMessage msg;
    SRS_ASSERT_OK(pkt->encode(0, &msg));
    EXPECT_EQ(bytes, payload_of(msg));
    EXPECT_EQ(SRS_RTMP_CID_OVER_CONNECTION, msg.cid);
    double tid = 0;
    std::string name;
    EXPECT_TRUE(pkt->expects_response(&tid, &name));
    EXPECT_EQ(2, tid);
    EXPECT_EQ(SRS_CMD_RELEASE_STREAM, name);
}

TEST(ProtocolRtmpPacketTest, SinkWritesLongStringsAndCountsSize) {
    SrsDataPacket data;
    data.name = std::string(70000, 'n');
    data.values.push_back(SrsAmf0Any::null());
    SrsMediaMessage msg;
    SRS_ASSERT_OK(data.encode(1, &msg));
    EXPECT_EQ(1 + 4 + 70000 + 1, msg.size());
    EXPECT_EQ(SrsAmf0MarkerLongString, (uint8_t)msg.data()[0]);
    SrsRtmpCommandDecoder dec;
    std::unique_ptr<SrsPacket> p;
    SRS_ASSERT_OK(dec.decode(msg, &p));
    auto* d = dynamic_cast<SrsDataPacket*>(p.get());
    ASSERT_NE(nullptr, d);
    EXPECT_EQ(70000u, d->name.size());
}
