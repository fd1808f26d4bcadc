// RTMP command and data messages (RTMP spec 7.1.1, 7.2): typed packets decoded from and
// encoded to AMF0 payloads, and the decoder that turns a received message into a packet.
// Protocol control messages (types 1-6) belong to the chunk layer, not here.
#pragma once

#include <srs_core_error.hpp>
#include <srs_kernel_message.hpp>
#include <srs_protocol_amf0.hpp>
#include <srs_protocol_rtmp_chunk.hpp>

#include <map>
#include <memory>
#include <string>
#include <vector>

class SrsBuffer;

// Command names (RTMP spec 7.2.1, 7.2.2, and the FMLE/Flash conventions).
#define SRS_CMD_CONNECT "connect"
#define SRS_CMD_CREATE_STREAM "createStream"
#define SRS_CMD_CLOSE_STREAM "closeStream"
#define SRS_CMD_DELETE_STREAM "deleteStream"
#define SRS_CMD_PLAY "play"
#define SRS_CMD_PLAY2 "play2"
#define SRS_CMD_PAUSE "pause"
#define SRS_CMD_PUBLISH "publish"
#define SRS_CMD_RELEASE_STREAM "releaseStream"
#define SRS_CMD_FC_PUBLISH "FCPublish"
#define SRS_CMD_FC_UNPUBLISH "FCUnpublish"
#define SRS_CMD_ON_FC_PUBLISH "onFCPublish"
#define SRS_CMD_ON_FC_UNPUBLISH "onFCUnpublish"
#define SRS_CMD_RECEIVE_AUDIO "receiveAudio"
#define SRS_CMD_RECEIVE_VIDEO "receiveVideo"
#define SRS_CMD_GET_STREAM_LENGTH "getStreamLength"
#define SRS_CMD_ON_STATUS "onStatus"
#define SRS_CMD_ON_BW_DONE "onBWDone"
#define SRS_CMD_CHECK_BW "_checkbw"
#define SRS_CMD_RESULT "_result"
#define SRS_CMD_ERROR "_error"
#define SRS_DATA_SET_DATAFRAME "@setDataFrame"
#define SRS_DATA_ON_METADATA "onMetaData"
#define SRS_DATA_SAMPLE_ACCESS "|RtmpSampleAccess"

// Status object fields, levels and codes (onStatus, _result/_error info objects).
#define SRS_STATUS_LEVEL "level"
#define SRS_STATUS_CODE "code"
#define SRS_STATUS_DESCRIPTION "description"
#define SRS_STATUS_DETAILS "details"
#define SRS_STATUS_CLIENT_ID "clientid"
#define SRS_STATUS_LEVEL_STATUS "status"
#define SRS_STATUS_LEVEL_ERROR "error"
#define SRS_STATUS_CONNECT_SUCCESS "NetConnection.Connect.Success"
#define SRS_STATUS_CONNECT_REJECTED "NetConnection.Connect.Rejected"
#define SRS_STATUS_PUBLISH_START "NetStream.Publish.Start"
#define SRS_STATUS_PUBLISH_BAD_NAME "NetStream.Publish.BadName"
#define SRS_STATUS_PUBLISH_REJECTED "NetStream.Publish.Rejected"
#define SRS_STATUS_PLAY_REJECTED "NetStream.Play.Rejected"
#define SRS_STATUS_UNPUBLISH_SUCCESS "NetStream.Unpublish.Success"
#define SRS_STATUS_PLAY_RESET "NetStream.Play.Reset"
#define SRS_STATUS_PLAY_START "NetStream.Play.Start"
#define SRS_STATUS_PLAY_STOP "NetStream.Play.Stop"
#define SRS_STATUS_PLAY_STREAM_NOT_FOUND "NetStream.Play.StreamNotFound"
#define SRS_STATUS_PLAY_PUBLISH_NOTIFY "NetStream.Play.PublishNotify"
#define SRS_STATUS_PLAY_UNPUBLISH_NOTIFY "NetStream.Play.UnpublishNotify"
#define SRS_STATUS_PAUSE_NOTIFY "NetStream.Pause.Notify"
#define SRS_STATUS_UNPAUSE_NOTIFY "NetStream.Unpause.Notify"
#define SRS_STATUS_DATA_START "NetStream.Data.Start"
#define SRS_STATUS_STREAM_FAILED "NetStream.Failed"

// The FMS identity our connect _result reports, as SRS and FMS clients expect.
#define SRS_RTMP_FMS_VERSION "FMS/3,5,3,888"
#define SRS_RTMP_FMS_VERSION_SHORT "3,5,3,888"
#define SRS_RTMP_FMS_CAPABILITIES 127
#define SRS_RTMP_FMS_MODE 1

// Writes or measures a sequence of AMF0 values without building them, so packets encode
// in two passes (size, then bytes) without temporary trees.
class SrsAmf0Sink {
public:
    // With a null buffer the sink only counts bytes.
    explicit SrsAmf0Sink(SrsBuffer* buf = nullptr) : buf_(buf) {}
    SRS_DISALLOW_COPY(SrsAmf0Sink);

public:
    void str(const std::string& v);
    void number(double v);
    void boolean(bool v);
    void null();
    void undefined();
    // A value; a null pointer writes AMF0 null.
    void any(const SrsAmf0Any* v);
    int size() const { return size_; }
    // The first error met while writing.
    srs_error_t take_error() { return std::move(err_); }

private:
    SrsBuffer* buf_;
    int size_ = 0;
    srs_error_t err_;
};

// A command or data message with typed fields.
class SrsPacket {
public:
    SrsPacket() = default;
    virtual ~SrsPacket() = default;
    SRS_DISALLOW_COPY(SrsPacket);

public:
    // Decodes the packet from the AMF0 payload (the AMF3 envelope byte already removed).
    virtual srs_error_t decode(SrsBuffer* buf) = 0;
    // Encodes into a message of the packet's type and chunk stream, on stream_id.
    srs_error_t encode(int stream_id, SrsMediaMessage* msg) const;
    // AMF0 command (20) or data (18).
    virtual uint8_t message_type() const { return SrsMsgAMF0Command; }
    virtual int prefer_cid() const { return SRS_RTMP_CID_OVER_CONNECTION; }
    // The AMF0 values of the packet, in wire order.
    virtual void write_values(SrsAmf0Sink* sink) const = 0;
    // A request the peer answers with _result/_error: its transaction id and name, so the
    // decoder on our side knows what a response answers.
    virtual bool expects_response(double* tid, std::string* name) const;
};

// connect (RTMP spec 7.2.1.1): the command object (app, tcUrl, ...) and optional user args.
class SrsConnectAppPacket : public SrsPacket {
public:
    SrsConnectAppPacket();
    srs_error_t decode(SrsBuffer* buf) override;
    void write_values(SrsAmf0Sink* sink) const override;
    bool expects_response(double* tid, std::string* name) const override;

public:
    std::string command_name = SRS_CMD_CONNECT;
    double transaction_id = 1;
    std::unique_ptr<SrsAmf0Object> command_object;
    // Optional user arguments after the command object; null when absent.
    std::unique_ptr<SrsAmf0Object> args;
};

// The _result/_error of connect: properties (fmsVer, capabilities, mode) and the info object.
class SrsConnectAppResPacket : public SrsPacket {
public:
    SrsConnectAppResPacket();
    srs_error_t decode(SrsBuffer* buf) override;
    void write_values(SrsAmf0Sink* sink) const override;

public:
    std::string command_name = SRS_CMD_RESULT;
    double transaction_id = 1;
    // Null encodes AMF0 null (as in a reject).
    std::unique_ptr<SrsAmf0Object> props;
    std::unique_ptr<SrsAmf0Object> info;
};

// Any other command: a name, a transaction id, the command object and one argument.
class SrsCallPacket : public SrsPacket {
public:
    SrsCallPacket() = default;
    srs_error_t decode(SrsBuffer* buf) override;
    void write_values(SrsAmf0Sink* sink) const override;
    bool expects_response(double* tid, std::string* name) const override;

public:
    std::string command_name;
    double transaction_id = 0;
    // Null encodes AMF0 null.
    std::unique_ptr<SrsAmf0Any> command_object;
    // Null when absent (not written).
    std::unique_ptr<SrsAmf0Any> arguments;
};

// The _result of a generic call, or of a request whose answer has no dedicated packet.
class SrsCallResPacket : public SrsPacket {
public:
    explicit SrsCallResPacket(double tid = 0) : transaction_id(tid) {}
    srs_error_t decode(SrsBuffer* buf) override;
    void write_values(SrsAmf0Sink* sink) const override;

public:
    std::string command_name = SRS_CMD_RESULT;
    double transaction_id;
    std::unique_ptr<SrsAmf0Any> command_object;
    // Null when absent (not written).
    std::unique_ptr<SrsAmf0Any> response;
};

// createStream (RTMP spec 7.2.1.3).
class SrsCreateStreamPacket : public SrsPacket {
public:
    srs_error_t decode(SrsBuffer* buf) override;
    void write_values(SrsAmf0Sink* sink) const override;
    bool expects_response(double* tid, std::string* name) const override;

public:
    double transaction_id = 2;
};

// The _result of createStream: the new stream id.
class SrsCreateStreamResPacket : public SrsPacket {
public:
    SrsCreateStreamResPacket(double tid = 0, double stream_id = 0) : transaction_id(tid), stream_id(stream_id) {}
    srs_error_t decode(SrsBuffer* buf) override;
    void write_values(SrsAmf0Sink* sink) const override;

public:
    double transaction_id;
    double stream_id;
};

// closeStream: the client stops the stream (RTMP spec 7.2.2).
class SrsCloseStreamPacket : public SrsPacket {
public:
    srs_error_t decode(SrsBuffer* buf) override;
    void write_values(SrsAmf0Sink* sink) const override;
    int prefer_cid() const override { return SRS_RTMP_CID_OVER_STREAM; }

public:
    double transaction_id = 0;
};

// deleteStream (RTMP spec 7.2.2.3): the stream id to delete.
class SrsDeleteStreamPacket : public SrsPacket {
public:
    srs_error_t decode(SrsBuffer* buf) override;
    void write_values(SrsAmf0Sink* sink) const override;

public:
    double transaction_id = 0;
    double stream_id = 0;
};

// releaseStream, FCPublish, FCUnpublish: the FMLE-style publish preparation.
class SrsFMLEStartPacket : public SrsPacket {
public:
    srs_error_t decode(SrsBuffer* buf) override;
    void write_values(SrsAmf0Sink* sink) const override;
    bool expects_response(double* tid, std::string* name) const override;
    static std::unique_ptr<SrsFMLEStartPacket> create(const std::string& command, double tid,
                                                      const std::string& stream);

public:
    std::string command_name = SRS_CMD_RELEASE_STREAM;
    double transaction_id = 0;
    std::string stream_name;
};

// The _result of releaseStream/FCPublish/FCUnpublish: null and undefined.
class SrsFMLEStartResPacket : public SrsPacket {
public:
    explicit SrsFMLEStartResPacket(double tid = 0) : transaction_id(tid) {}
    srs_error_t decode(SrsBuffer* buf) override;
    void write_values(SrsAmf0Sink* sink) const override;

public:
    double transaction_id;
};

// publish (RTMP spec 7.2.2.6): the stream name and type (live, record, append).
class SrsPublishPacket : public SrsPacket {
public:
    srs_error_t decode(SrsBuffer* buf) override;
    void write_values(SrsAmf0Sink* sink) const override;
    int prefer_cid() const override { return SRS_RTMP_CID_OVER_STREAM; }

public:
    double transaction_id = 0;
    std::string stream_name;
    std::string type = "live";
};

// pause (RTMP spec 7.2.2.8): pause or resume at a time in milliseconds.
class SrsPausePacket : public SrsPacket {
public:
    srs_error_t decode(SrsBuffer* buf) override;
    void write_values(SrsAmf0Sink* sink) const override;
    int prefer_cid() const override { return SRS_RTMP_CID_OVER_STREAM; }

public:
    double transaction_id = 0;
    bool is_pause = true;
    double time_ms = 0;
};

// play (RTMP spec 7.2.2.1): stream name, start (-2 live or recorded, -1 live only),
// duration (-1 all) and reset.
class SrsPlayPacket : public SrsPacket {
public:
    srs_error_t decode(SrsBuffer* buf) override;
    void write_values(SrsAmf0Sink* sink) const override;
    int prefer_cid() const override { return SRS_RTMP_CID_OVER_STREAM; }

public:
    double transaction_id = 0;
    std::string stream_name;
    double start = -2;
    double duration = -1;
    bool reset = true;
};

// play2 (RTMP spec 7.2.2.2): switches streams; the parameters object holds streamName,
// oldStreamName, start, len, offset and transition.
class SrsPlay2Packet : public SrsPacket {
public:
    SrsPlay2Packet();
    srs_error_t decode(SrsBuffer* buf) override;
    void write_values(SrsAmf0Sink* sink) const override;
    int prefer_cid() const override { return SRS_RTMP_CID_OVER_STREAM; }
    std::string stream_name() const;

public:
    double transaction_id = 0;
    std::unique_ptr<SrsAmf0Object> params;
};

// The _result of play, for servers answering play with a transaction id.
class SrsPlayResPacket : public SrsPacket {
public:
    SrsPlayResPacket();
    srs_error_t decode(SrsBuffer* buf) override;
    void write_values(SrsAmf0Sink* sink) const override;
    int prefer_cid() const override { return SRS_RTMP_CID_OVER_STREAM; }

public:
    double transaction_id = 0;
    std::unique_ptr<SrsAmf0Object> desc;
};

// receiveAudio / receiveVideo (RTMP spec 7.2.2.4, 7.2.2.5).
class SrsReceiveAVPacket : public SrsPacket {
public:
    srs_error_t decode(SrsBuffer* buf) override;
    void write_values(SrsAmf0Sink* sink) const override;
    int prefer_cid() const override { return SRS_RTMP_CID_OVER_STREAM; }

public:
    std::string command_name = SRS_CMD_RECEIVE_AUDIO;
    double transaction_id = 0;
    bool enabled = true;
};

// getStreamLength: Flash players ask the length of a stream before playing it.
class SrsGetStreamLengthPacket : public SrsPacket {
public:
    srs_error_t decode(SrsBuffer* buf) override;
    void write_values(SrsAmf0Sink* sink) const override;
    bool expects_response(double* tid, std::string* name) const override;

public:
    double transaction_id = 0;
    std::string stream_name;
};

// onBWDone: tells Flash the bandwidth check is done; sent after the connect _result.
class SrsOnBWDonePacket : public SrsPacket {
public:
    srs_error_t decode(SrsBuffer* buf) override;
    void write_values(SrsAmf0Sink* sink) const override;

public:
    double transaction_id = 0;
};

// onStatus as a command over a stream (RTMP spec 7.2.2), and the same shape for
// onFCPublish/onFCUnpublish and a stream-level _error: name, tid 0, null, info object.
class SrsOnStatusCallPacket : public SrsPacket {
public:
    SrsOnStatusCallPacket();
    srs_error_t decode(SrsBuffer* buf) override;
    void write_values(SrsAmf0Sink* sink) const override;
    int prefer_cid() const override { return SRS_RTMP_CID_OVER_STREAM; }
    // A status object with level, code and description.
    static std::unique_ptr<SrsOnStatusCallPacket> create(const std::string& level, const std::string& code,
                                                         const std::string& description);
    // Whether pkt is an onStatus of level "error" (a refused play or publish); *what gets its
    // "code description".
    static bool is_error(const SrsPacket* pkt, std::string* what);

public:
    std::string command_name = SRS_CMD_ON_STATUS;
    double transaction_id = 0;
    std::unique_ptr<SrsAmf0Object> data;
};

// onStatus as a data message (NetStream.Data.Start).
class SrsOnStatusDataPacket : public SrsPacket {
public:
    SrsOnStatusDataPacket();
    srs_error_t decode(SrsBuffer* buf) override;
    void write_values(SrsAmf0Sink* sink) const override;
    uint8_t message_type() const override { return SrsMsgAMF0Data; }
    int prefer_cid() const override { return SRS_RTMP_CID_OVER_STREAM; }

public:
    std::unique_ptr<SrsAmf0Object> data;
};

// |RtmpSampleAccess: lets Flash read the raw audio/video bytes.
class SrsSampleAccessPacket : public SrsPacket {
public:
    srs_error_t decode(SrsBuffer* buf) override;
    void write_values(SrsAmf0Sink* sink) const override;
    uint8_t message_type() const override { return SrsMsgAMF0Data; }
    int prefer_cid() const override { return SRS_RTMP_CID_OVER_STREAM; }

public:
    bool video_sample_access = false;
    bool audio_sample_access = false;
};

// onMetaData, also as "@setDataFrame" "onMetaData" from encoders (FLV spec E.5). The
// metadata is kept as sent: an object or an ECMA array.
class SrsOnMetaDataPacket : public SrsPacket {
public:
    SrsOnMetaDataPacket();
    srs_error_t decode(SrsBuffer* buf) override;
    void write_values(SrsAmf0Sink* sink) const override;
    uint8_t message_type() const override { return SrsMsgAMF0Data; }
    int prefer_cid() const override { return SRS_RTMP_CID_OVER_CONNECTION2; }
    // The metadata's properties (object or ECMA array).
    SrsAmf0PropertyBag* properties() const { return metadata ? metadata->to_properties() : nullptr; }
    // The message players get: onMetaData, without the encoder's @setDataFrame wrapping (FLV
    // spec E.5), at the given time.
    srs_error_t to_on_metadata(int32_t stream_id, int64_t timestamp, SrsMediaMessage* out);

public:
    std::string name = SRS_DATA_ON_METADATA;
    // Whether it came wrapped in @setDataFrame.
    bool set_data_frame = false;
    std::unique_ptr<SrsAmf0Any> metadata;
};

// Any other data message (onTextData, onCuePoint, ...): its name and values.
class SrsDataPacket : public SrsPacket {
public:
    srs_error_t decode(SrsBuffer* buf) override;
    void write_values(SrsAmf0Sink* sink) const override;
    uint8_t message_type() const override { return SrsMsgAMF0Data; }
    int prefer_cid() const override { return SRS_RTMP_CID_OVER_STREAM; }

public:
    std::string name;
    std::vector<std::unique_ptr<SrsAmf0Any>> values;
};

// Turns command (20, 17) and data (18, 15) messages into packets. Responses (_result,
// _error) are typed by the request they answer, found by transaction id among the requests
// remembered on send.
class SrsRtmpCommandDecoder {
public:
    SrsRtmpCommandDecoder() = default;
    SRS_DISALLOW_COPY(SrsRtmpCommandDecoder);

public:
    srs_error_t decode(const SrsMediaMessage& msg, std::unique_ptr<SrsPacket>* out);
    // Records a request we sent, so its _result/_error decodes as the right packet.
    void remember_request(double tid, const std::string& name);
    // The name of the request of a transaction id, or empty.
    std::string request_name(double tid) const;
    // Whether a message is one this decoder handles.
    static bool is_command_or_data(const SrsMediaMessage& msg);

private:
    srs_error_t decode_command(const char* data, int size, std::unique_ptr<SrsPacket>* out);
    srs_error_t decode_data(const char* data, int size, std::unique_ptr<SrsPacket>* out);

private:
    std::map<double, std::string> requests_;
};
