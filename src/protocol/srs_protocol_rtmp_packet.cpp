#include <srs_protocol_rtmp_packet.hpp>

#include <srs_core_log.hpp>
#include <srs_kernel_buffer.hpp>

#include <cstring>

namespace {

// Requests remembered for responses; bounded so a peer cannot grow it.
const size_t kMaxRememberedRequests = 128;

srs_error_t read_name_tid(SrsBuffer* buf, std::string* name, double* tid) {
    srs_error_t err = srs_success;
    if ((err = srs_amf0_read_string(buf, name)) != srs_success) {
        return srs_error_wrap(err, "command name");
    }
    if ((err = srs_amf0_read_number(buf, tid)) != srs_success) {
        return srs_error_wrap(err, "transaction id of %s", name->c_str());
    }
    return srs_success;
}

// Reads a value when there is one; leaves out null at the end of the message.
srs_error_t read_optional(SrsBuffer* buf, std::unique_ptr<SrsAmf0Any>* out) {
    if (buf->empty()) {
        return srs_success;
    }
    return srs_amf0_read_any(buf, out, 0);
}

// Reads the command object, usually null; clients vary (undefined, an object), so any
// value is accepted and dropped. A missing one is accepted too.
srs_error_t skip_command_object(SrsBuffer* buf) {
    std::unique_ptr<SrsAmf0Any> v;
    srs_error_t err = read_optional(buf, &v);
    if (err != srs_success) {
        return srs_error_wrap(err, "command object");
    }
    return srs_success;
}

// Takes the object out of a value, when it is one.
std::unique_ptr<SrsAmf0Object> take_object(std::unique_ptr<SrsAmf0Any> v) {
    if (!v || !v->is_object()) {
        return nullptr;
    }
    return std::unique_ptr<SrsAmf0Object>(static_cast<SrsAmf0Object*>(v.release()));
}

}  // namespace

void SrsAmf0Sink::str(const std::string& v) {
    int size = v.size() <= 0xFFFF ? 3 + (int)v.size() : 5 + (int)v.size();
    size_ += size;
    if (!buf_ || err_ != srs_success) {
        return;
    }
    if (!buf_->require(size)) {
        err_ = srs_error_new(ERROR_RTMP_AMF0_ENCODE, "no space for string");
        return;
    }
    if (v.size() <= 0xFFFF) {
        buf_->write_1bytes(SrsAmf0MarkerString);
        buf_->write_2bytes((int16_t)v.size());
    } else {
        buf_->write_1bytes(SrsAmf0MarkerLongString);
        buf_->write_4bytes((int32_t)v.size());
    }
    buf_->write_string(v);
}

void SrsAmf0Sink::number(double v) {
    SrsAmf0Number n(v);
    any(&n);
}

void SrsAmf0Sink::boolean(bool v) {
    SrsAmf0Boolean b(v);
    any(&b);
}

void SrsAmf0Sink::null() {
    SrsAmf0Simple n(SrsAmf0MarkerNull);
    any(&n);
}

void SrsAmf0Sink::undefined() {
    SrsAmf0Simple n(SrsAmf0MarkerUndefined);
    any(&n);
}

void SrsAmf0Sink::any(const SrsAmf0Any* v) {
    if (!v) {
        null();
        return;
    }
    size_ += v->total_size();
    if (!buf_ || err_ != srs_success) {
        return;
    }
    srs_error_t err = v->write(buf_);
    if (err != srs_success) {
        err_ = std::move(err);
    }
}

srs_error_t SrsPacket::encode(int stream_id, SrsMediaMessage* msg) const {
    srs_error_t err = srs_success;
    SrsAmf0Sink measure;
    write_values(&measure);
    auto payload = std::make_shared<SrsSharedPayload>(measure.size());
    SrsBuffer buf(payload->data(), payload->size());
    SrsAmf0Sink sink(&buf);
    write_values(&sink);
    if ((err = sink.take_error()) != srs_success) {
        return srs_error_wrap(err, "encode packet");
    }
    *msg = SrsMediaMessage(message_type(), 0, stream_id, std::move(payload));
    msg->cid = prefer_cid();
    return srs_success;
}

bool SrsPacket::expects_response(double*, std::string*) const {
    return false;
}

SrsConnectAppPacket::SrsConnectAppPacket() : command_object(SrsAmf0Any::object()) {}

srs_error_t SrsConnectAppPacket::decode(SrsBuffer* buf) {
    srs_error_t err = srs_success;
    if ((err = read_name_tid(buf, &command_name, &transaction_id)) != srs_success) {
        return err;
    }
    if (command_name != SRS_CMD_CONNECT) {
        return srs_error_new(ERROR_RTMP_AMF0_DECODE, "expect connect, got %s", command_name.c_str());
    }
    // Flash sends tid 1; other values are tolerated (RTMP spec 7.2.1.1 says "always 1").
    if ((err = srs_amf0_read_object(buf, &command_object)) != srs_success) {
        return srs_error_wrap(err, "connect command object");
    }
    // Optional user arguments; rtmpdump's conn options may append scalars, which are dropped.
    std::unique_ptr<SrsAmf0Any> v;
    if ((err = read_optional(buf, &v)) != srs_success) {
        return srs_error_wrap(err, "connect args");
    }
    args = take_object(std::move(v));
    return srs_success;
}

void SrsConnectAppPacket::write_values(SrsAmf0Sink* sink) const {
    sink->str(command_name);
    sink->number(transaction_id);
    sink->any(command_object.get());
    if (args) {
        sink->any(args.get());
    }
}

bool SrsConnectAppPacket::expects_response(double* tid, std::string* name) const {
    *tid = transaction_id;
    *name = command_name;
    return true;
}

SrsConnectAppResPacket::SrsConnectAppResPacket() : props(SrsAmf0Any::object()), info(SrsAmf0Any::object()) {}

srs_error_t SrsConnectAppResPacket::decode(SrsBuffer* buf) {
    srs_error_t err = srs_success;
    if ((err = read_name_tid(buf, &command_name, &transaction_id)) != srs_success) {
        return err;
    }
    std::unique_ptr<SrsAmf0Any> v;
    if ((err = read_optional(buf, &v)) != srs_success) {
        return srs_error_wrap(err, "connect response props");
    }
    props = take_object(std::move(v));
    if ((err = read_optional(buf, &v)) != srs_success) {
        return srs_error_wrap(err, "connect response info");
    }
    info = take_object(std::move(v));
    if (!info) {
        info = SrsAmf0Any::object();
    }
    return srs_success;
}

void SrsConnectAppResPacket::write_values(SrsAmf0Sink* sink) const {
    sink->str(command_name);
    sink->number(transaction_id);
    sink->any(props.get());
    sink->any(info.get());
}

srs_error_t SrsCallPacket::decode(SrsBuffer* buf) {
    srs_error_t err = srs_success;
    if ((err = read_name_tid(buf, &command_name, &transaction_id)) != srs_success) {
        return err;
    }
    if ((err = read_optional(buf, &command_object)) != srs_success) {
        return srs_error_wrap(err, "call %s command object", command_name.c_str());
    }
    if ((err = read_optional(buf, &arguments)) != srs_success) {
        return srs_error_wrap(err, "call %s arguments", command_name.c_str());
    }
    return srs_success;
}

void SrsCallPacket::write_values(SrsAmf0Sink* sink) const {
    sink->str(command_name);
    sink->number(transaction_id);
    sink->any(command_object.get());
    if (arguments) {
        sink->any(arguments.get());
    }
}

bool SrsCallPacket::expects_response(double* tid, std::string* name) const {
    *tid = transaction_id;
    *name = command_name;
    // Transaction id 0 marks a notification without response.
    return transaction_id != 0;
}

srs_error_t SrsCallResPacket::decode(SrsBuffer* buf) {
    srs_error_t err = srs_success;
    if ((err = read_name_tid(buf, &command_name, &transaction_id)) != srs_success) {
        return err;
    }
    if ((err = read_optional(buf, &command_object)) != srs_success) {
        return srs_error_wrap(err, "response command object");
    }
    if ((err = read_optional(buf, &response)) != srs_success) {
        return srs_error_wrap(err, "response value");
    }
    return srs_success;
}

void SrsCallResPacket::write_values(SrsAmf0Sink* sink) const {
    sink->str(command_name);
    sink->number(transaction_id);
    sink->any(command_object.get());
    if (response) {
        sink->any(response.get());
    }
}

srs_error_t SrsCreateStreamPacket::decode(SrsBuffer* buf) {
    std::string name;
    srs_error_t err = read_name_tid(buf, &name, &transaction_id);
    if (err != srs_success) {
        return err;
    }
    return skip_command_object(buf);
}

void SrsCreateStreamPacket::write_values(SrsAmf0Sink* sink) const {
    sink->str(SRS_CMD_CREATE_STREAM);
    sink->number(transaction_id);
    sink->null();
}

bool SrsCreateStreamPacket::expects_response(double* tid, std::string* name) const {
    *tid = transaction_id;
    *name = SRS_CMD_CREATE_STREAM;
    return true;
}

srs_error_t SrsCreateStreamResPacket::decode(SrsBuffer* buf) {
    srs_error_t err = srs_success;
    std::string name;
    if ((err = read_name_tid(buf, &name, &transaction_id)) != srs_success) {
        return err;
    }
    if ((err = skip_command_object(buf)) != srs_success) {
        return err;
    }
    if ((err = srs_amf0_read_number(buf, &stream_id)) != srs_success) {
        return srs_error_wrap(err, "createStream response stream id");
    }
    return srs_success;
}

void SrsCreateStreamResPacket::write_values(SrsAmf0Sink* sink) const {
    sink->str(SRS_CMD_RESULT);
    sink->number(transaction_id);
    sink->null();
    sink->number(stream_id);
}

srs_error_t SrsCloseStreamPacket::decode(SrsBuffer* buf) {
    std::string name;
    srs_error_t err = read_name_tid(buf, &name, &transaction_id);
    if (err != srs_success) {
        return err;
    }
    return skip_command_object(buf);
}

void SrsCloseStreamPacket::write_values(SrsAmf0Sink* sink) const {
    sink->str(SRS_CMD_CLOSE_STREAM);
    sink->number(transaction_id);
    sink->null();
}

srs_error_t SrsDeleteStreamPacket::decode(SrsBuffer* buf) {
    srs_error_t err = srs_success;
    std::string name;
    if ((err = read_name_tid(buf, &name, &transaction_id)) != srs_success) {
        return err;
    }
    if ((err = skip_command_object(buf)) != srs_success) {
        return err;
    }
    if (!buf->empty() && (err = srs_amf0_read_number(buf, &stream_id)) != srs_success) {
        return srs_error_wrap(err, "deleteStream stream id");
    }
    return srs_success;
}

void SrsDeleteStreamPacket::write_values(SrsAmf0Sink* sink) const {
    sink->str(SRS_CMD_DELETE_STREAM);
    sink->number(transaction_id);
    sink->null();
    sink->number(stream_id);
}

srs_error_t SrsFMLEStartPacket::decode(SrsBuffer* buf) {
    srs_error_t err = srs_success;
    if ((err = read_name_tid(buf, &command_name, &transaction_id)) != srs_success) {
        return err;
    }
    if ((err = skip_command_object(buf)) != srs_success) {
        return err;
    }
    // Some encoders send FCUnpublish without the name.
    if (!buf->empty() && (err = srs_amf0_read_string(buf, &stream_name)) != srs_success) {
        return srs_error_wrap(err, "%s stream name", command_name.c_str());
    }
    return srs_success;
}

void SrsFMLEStartPacket::write_values(SrsAmf0Sink* sink) const {
    sink->str(command_name);
    sink->number(transaction_id);
    sink->null();
    sink->str(stream_name);
}

bool SrsFMLEStartPacket::expects_response(double* tid, std::string* name) const {
    *tid = transaction_id;
    *name = command_name;
    return true;
}

std::unique_ptr<SrsFMLEStartPacket> SrsFMLEStartPacket::create(const std::string& command, double tid,
                                                               const std::string& stream) {
    auto pkt = std::make_unique<SrsFMLEStartPacket>();
    pkt->command_name = command;
    pkt->transaction_id = tid;
    pkt->stream_name = stream;
    return pkt;
}

srs_error_t SrsFMLEStartResPacket::decode(SrsBuffer* buf) {
    std::string name;
    srs_error_t err = read_name_tid(buf, &name, &transaction_id);
    if (err != srs_success) {
        return err;
    }
    // The null and undefined that follow carry nothing.
    while (!buf->empty()) {
        if ((err = skip_command_object(buf)) != srs_success) {
            return err;
        }
    }
    return srs_success;
}

void SrsFMLEStartResPacket::write_values(SrsAmf0Sink* sink) const {
    sink->str(SRS_CMD_RESULT);
    sink->number(transaction_id);
    sink->null();
    sink->undefined();
}

srs_error_t SrsPublishPacket::decode(SrsBuffer* buf) {
    srs_error_t err = srs_success;
    std::string name;
    if ((err = read_name_tid(buf, &name, &transaction_id)) != srs_success) {
        return err;
    }
    if ((err = skip_command_object(buf)) != srs_success) {
        return err;
    }
    if ((err = srs_amf0_read_string(buf, &stream_name)) != srs_success) {
        return srs_error_wrap(err, "publish stream name");
    }
    // The publishing type is optional; live when absent.
    if (!buf->empty() && (err = srs_amf0_read_string(buf, &type)) != srs_success) {
        return srs_error_wrap(err, "publish type");
    }
    return srs_success;
}

void SrsPublishPacket::write_values(SrsAmf0Sink* sink) const {
    sink->str(SRS_CMD_PUBLISH);
    sink->number(transaction_id);
    sink->null();
    sink->str(stream_name);
    sink->str(type);
}

srs_error_t SrsPausePacket::decode(SrsBuffer* buf) {
    srs_error_t err = srs_success;
    std::string name;
    if ((err = read_name_tid(buf, &name, &transaction_id)) != srs_success) {
        return err;
    }
    if ((err = skip_command_object(buf)) != srs_success) {
        return err;
    }
    if ((err = srs_amf0_read_boolean(buf, &is_pause)) != srs_success) {
        return srs_error_wrap(err, "pause flag");
    }
    if (!buf->empty() && (err = srs_amf0_read_number(buf, &time_ms)) != srs_success) {
        return srs_error_wrap(err, "pause time");
    }
    return srs_success;
}

void SrsPausePacket::write_values(SrsAmf0Sink* sink) const {
    sink->str(SRS_CMD_PAUSE);
    sink->number(transaction_id);
    sink->null();
    sink->boolean(is_pause);
    sink->number(time_ms);
}

srs_error_t SrsPlayPacket::decode(SrsBuffer* buf) {
    srs_error_t err = srs_success;
    std::string name;
    if ((err = read_name_tid(buf, &name, &transaction_id)) != srs_success) {
        return err;
    }
    if ((err = skip_command_object(buf)) != srs_success) {
        return err;
    }
    if ((err = srs_amf0_read_string(buf, &stream_name)) != srs_success) {
        return srs_error_wrap(err, "play stream name");
    }
    // start, duration and reset are optional (RTMP spec 7.2.2.1).
    if (!buf->empty() && (err = srs_amf0_read_number(buf, &start)) != srs_success) {
        return srs_error_wrap(err, "play start");
    }
    if (!buf->empty() && (err = srs_amf0_read_number(buf, &duration)) != srs_success) {
        return srs_error_wrap(err, "play duration");
    }
    if (!buf->empty()) {
        // Flash sends a boolean; older clients a number (non-zero resets).
        std::unique_ptr<SrsAmf0Any> v;
        if ((err = srs_amf0_read_any(buf, &v, 0)) != srs_success) {
            return srs_error_wrap(err, "play reset");
        }
        if (v->is_boolean()) {
            reset = v->to_boolean();
        } else if (v->is_number()) {
            reset = v->to_number() != 0;
        } else {
            return srs_error_new(ERROR_RTMP_AMF0_DECODE, "play reset must be boolean or number");
        }
    }
    return srs_success;
}

void SrsPlayPacket::write_values(SrsAmf0Sink* sink) const {
    sink->str(SRS_CMD_PLAY);
    sink->number(transaction_id);
    sink->null();
    sink->str(stream_name);
    sink->number(start);
    sink->number(duration);
    sink->boolean(reset);
}

SrsPlay2Packet::SrsPlay2Packet() : params(SrsAmf0Any::object()) {}

srs_error_t SrsPlay2Packet::decode(SrsBuffer* buf) {
    srs_error_t err = srs_success;
    std::string name;
    if ((err = read_name_tid(buf, &name, &transaction_id)) != srs_success) {
        return err;
    }
    if ((err = skip_command_object(buf)) != srs_success) {
        return err;
    }
    if ((err = srs_amf0_read_object(buf, &params)) != srs_success) {
        return srs_error_wrap(err, "play2 parameters");
    }
    return srs_success;
}

void SrsPlay2Packet::write_values(SrsAmf0Sink* sink) const {
    sink->str(SRS_CMD_PLAY2);
    sink->number(transaction_id);
    sink->null();
    sink->any(params.get());
}

std::string SrsPlay2Packet::stream_name() const {
    return params ? params->get_string("streamName") : "";
}

SrsPlayResPacket::SrsPlayResPacket() : desc(SrsAmf0Any::object()) {}

srs_error_t SrsPlayResPacket::decode(SrsBuffer* buf) {
    srs_error_t err = srs_success;
    std::string name;
    if ((err = read_name_tid(buf, &name, &transaction_id)) != srs_success) {
        return err;
    }
    if ((err = skip_command_object(buf)) != srs_success) {
        return err;
    }
    if ((err = srs_amf0_read_object(buf, &desc)) != srs_success) {
        return srs_error_wrap(err, "play response");
    }
    return srs_success;
}

void SrsPlayResPacket::write_values(SrsAmf0Sink* sink) const {
    sink->str(SRS_CMD_RESULT);
    sink->number(transaction_id);
    sink->null();
    sink->any(desc.get());
}

srs_error_t SrsReceiveAVPacket::decode(SrsBuffer* buf) {
    srs_error_t err = srs_success;
    if ((err = read_name_tid(buf, &command_name, &transaction_id)) != srs_success) {
        return err;
    }
    if ((err = skip_command_object(buf)) != srs_success) {
        return err;
    }
    if ((err = srs_amf0_read_boolean(buf, &enabled)) != srs_success) {
        return srs_error_wrap(err, "%s flag", command_name.c_str());
    }
    return srs_success;
}

void SrsReceiveAVPacket::write_values(SrsAmf0Sink* sink) const {
    sink->str(command_name);
    sink->number(transaction_id);
    sink->null();
    sink->boolean(enabled);
}

srs_error_t SrsGetStreamLengthPacket::decode(SrsBuffer* buf) {
    srs_error_t err = srs_success;
    std::string name;
    if ((err = read_name_tid(buf, &name, &transaction_id)) != srs_success) {
        return err;
    }
    if ((err = skip_command_object(buf)) != srs_success) {
        return err;
    }
    if (!buf->empty() && (err = srs_amf0_read_string(buf, &stream_name)) != srs_success) {
        return srs_error_wrap(err, "getStreamLength stream name");
    }
    return srs_success;
}

void SrsGetStreamLengthPacket::write_values(SrsAmf0Sink* sink) const {
    sink->str(SRS_CMD_GET_STREAM_LENGTH);
    sink->number(transaction_id);
    sink->null();
    sink->str(stream_name);
}

bool SrsGetStreamLengthPacket::expects_response(double* tid, std::string* name) const {
    *tid = transaction_id;
    *name = SRS_CMD_GET_STREAM_LENGTH;
    return transaction_id != 0;
}

srs_error_t SrsOnBWDonePacket::decode(SrsBuffer* buf) {
    std::string name;
    srs_error_t err = read_name_tid(buf, &name, &transaction_id);
    if (err != srs_success) {
        return err;
    }
    return skip_command_object(buf);
}

void SrsOnBWDonePacket::write_values(SrsAmf0Sink* sink) const {
    sink->str(SRS_CMD_ON_BW_DONE);
    sink->number(transaction_id);
    sink->null();
}

SrsOnStatusCallPacket::SrsOnStatusCallPacket() : data(SrsAmf0Any::object()) {}

srs_error_t SrsOnStatusCallPacket::decode(SrsBuffer* buf) {
    srs_error_t err = srs_success;
    if ((err = read_name_tid(buf, &command_name, &transaction_id)) != srs_success) {
        return err;
    }
    if ((err = skip_command_object(buf)) != srs_success) {
        return err;
    }
    std::unique_ptr<SrsAmf0Any> v;
    if ((err = read_optional(buf, &v)) != srs_success) {
        return srs_error_wrap(err, "%s info", command_name.c_str());
    }
    data = take_object(std::move(v));
    if (!data) {
        data = SrsAmf0Any::object();
    }
    return srs_success;
}

void SrsOnStatusCallPacket::write_values(SrsAmf0Sink* sink) const {
    sink->str(command_name);
    sink->number(transaction_id);
    sink->null();
    sink->any(data.get());
}

std::unique_ptr<SrsOnStatusCallPacket> SrsOnStatusCallPacket::create(const std::string& level, const std::string& code,
                                                                     const std::string& description) {
    auto pkt = std::make_unique<SrsOnStatusCallPacket>();
    pkt->data->set(SRS_STATUS_LEVEL, SrsAmf0Any::str(level));
    pkt->data->set(SRS_STATUS_CODE, SrsAmf0Any::str(code));
    pkt->data->set(SRS_STATUS_DESCRIPTION, SrsAmf0Any::str(description));
    return pkt;
}

bool SrsOnStatusCallPacket::is_error(const SrsPacket* pkt, std::string* what) {
    const SrsOnStatusCallPacket* st = dynamic_cast<const SrsOnStatusCallPacket*>(pkt);
    if (!st || !st->data || st->data->get_string(SRS_STATUS_LEVEL) != SRS_STATUS_LEVEL_ERROR) {
        return false;
    }
    *what = st->data->get_string(SRS_STATUS_CODE) + " " + st->data->get_string(SRS_STATUS_DESCRIPTION);
    return true;
}

SrsOnStatusDataPacket::SrsOnStatusDataPacket() : data(SrsAmf0Any::object()) {}

srs_error_t SrsOnStatusDataPacket::decode(SrsBuffer* buf) {
    srs_error_t err = srs_success;
    std::string name;
    if ((err = srs_amf0_read_string(buf, &name)) != srs_success) {
        return srs_error_wrap(err, "onStatus data name");
    }
    std::unique_ptr<SrsAmf0Any> v;
    if ((err = read_optional(buf, &v)) != srs_success) {
        return srs_error_wrap(err, "onStatus data");
    }
    data = take_object(std::move(v));
    if (!data) {
        data = SrsAmf0Any::object();
    }
    return srs_success;
}

void SrsOnStatusDataPacket::write_values(SrsAmf0Sink* sink) const {
    sink->str(SRS_CMD_ON_STATUS);
    sink->any(data.get());
}

srs_error_t SrsSampleAccessPacket::decode(SrsBuffer* buf) {
    srs_error_t err = srs_success;
    std::string name;
    if ((err = srs_amf0_read_string(buf, &name)) != srs_success) {
        return srs_error_wrap(err, "sample access name");
    }
    if (!buf->empty() && (err = srs_amf0_read_boolean(buf, &video_sample_access)) != srs_success) {
        return srs_error_wrap(err, "video sample access");
    }
    if (!buf->empty() && (err = srs_amf0_read_boolean(buf, &audio_sample_access)) != srs_success) {
        return srs_error_wrap(err, "audio sample access");
    }
    return srs_success;
}

void SrsSampleAccessPacket::write_values(SrsAmf0Sink* sink) const {
    sink->str(SRS_DATA_SAMPLE_ACCESS);
    sink->boolean(video_sample_access);
    sink->boolean(audio_sample_access);
}

SrsOnMetaDataPacket::SrsOnMetaDataPacket() : metadata(SrsAmf0Any::ecma_array()) {}

srs_error_t SrsOnMetaDataPacket::to_on_metadata(int32_t stream_id, int64_t timestamp, SrsMediaMessage* out) {
    set_data_frame = false;
    name = SRS_DATA_ON_METADATA;
    srs_error_t err = encode(stream_id, out);
    if (err != srs_success) {
        return srs_error_wrap(err, "encode metadata");
    }
    out->timestamp = timestamp;
    return err;
}

srs_error_t SrsOnMetaDataPacket::decode(SrsBuffer* buf) {
    srs_error_t err = srs_success;
    if ((err = srs_amf0_read_string(buf, &name)) != srs_success) {
        return srs_error_wrap(err, "metadata name");
    }
    // Encoders send @setDataFrame, onMetaData, {..}: the server keeps what follows.
    if (name == SRS_DATA_SET_DATAFRAME) {
        set_data_frame = true;
        if ((err = srs_amf0_read_string(buf, &name)) != srs_success) {
            return srs_error_wrap(err, "metadata name after @setDataFrame");
        }
    }
    std::unique_ptr<SrsAmf0Any> v;
    if ((err = read_optional(buf, &v)) != srs_success) {
        return srs_error_wrap(err, "metadata");
    }
    if (v && v->is_property_bag()) {
        metadata = std::move(v);
    } else {
        // A metadata message without properties (or of another shape) is kept empty.
        metadata = SrsAmf0Any::ecma_array();
    }
    return srs_success;
}

void SrsOnMetaDataPacket::write_values(SrsAmf0Sink* sink) const {
    sink->str(name);
    sink->any(metadata.get());
}

srs_error_t SrsDataPacket::decode(SrsBuffer* buf) {
    srs_error_t err = srs_success;
    if ((err = srs_amf0_read_string(buf, &name)) != srs_success) {
        return srs_error_wrap(err, "data name");
    }
    while (!buf->empty()) {
        std::unique_ptr<SrsAmf0Any> v;
        if ((err = srs_amf0_read_any(buf, &v, 0)) != srs_success) {
            return srs_error_wrap(err, "data %s value %d", name.c_str(), (int)values.size());
        }
        values.push_back(std::move(v));
    }
    return srs_success;
}

void SrsDataPacket::write_values(SrsAmf0Sink* sink) const {
    sink->str(name);
    for (const auto& v : values) {
        sink->any(v.get());
    }
}

bool SrsRtmpCommandDecoder::is_command_or_data(const SrsMediaMessage& msg) {
    return msg.type == SrsMsgAMF0Command || msg.type == SrsMsgAMF3Command || msg.type == SrsMsgAMF0Data ||
           msg.type == SrsMsgAMF3Data;
}

void SrsRtmpCommandDecoder::remember_request(double tid, const std::string& name) {
    if (requests_.size() >= kMaxRememberedRequests && requests_.find(tid) == requests_.end()) {
        requests_.erase(requests_.begin());
    }
    requests_[tid] = name;
}

std::string SrsRtmpCommandDecoder::request_name(double tid) const {
    auto it = requests_.find(tid);
    return it == requests_.end() ? "" : it->second;
}

srs_error_t SrsRtmpCommandDecoder::decode(const SrsMediaMessage& msg, std::unique_ptr<SrsPacket>* out) {
    const char* data = msg.data();
    int size = msg.size();
    if (!is_command_or_data(msg)) {
        return srs_error_new(ERROR_RTMP_AMF0_DECODE, "message type %d is not a command or data", msg.type);
    }
    if (size <= 0 || !data) {
        return srs_error_new(ERROR_RTMP_AMF0_DECODE, "empty message of type %d", msg.type);
    }
    // AMF3 command/data messages start with a format byte 0 followed by AMF0 values
    // (RTMP spec 7.1.1); a value may switch to AMF3 with the avmplus-object marker. A
    // command never starts with a number, so a leading 0 is always that format byte.
    if ((msg.type == SrsMsgAMF3Command || msg.type == SrsMsgAMF3Data) && data[0] == 0) {
        data++;
        size--;
    }
    if (msg.type == SrsMsgAMF0Command || msg.type == SrsMsgAMF3Command) {
        return decode_command(data, size, out);
    }
    return decode_data(data, size, out);
}

srs_error_t SrsRtmpCommandDecoder::decode_command(const char* data, int size, std::unique_ptr<SrsPacket>* out) {
    srs_error_t err = srs_success;
    std::string name;
    double tid = 0;
    {
        SrsBuffer peek(const_cast<char*>(data), size);
        if ((err = read_name_tid(&peek, &name, &tid)) != srs_success) {
            return srs_error_wrap(err, "command header");
        }
    }

    std::unique_ptr<SrsPacket> pkt;
    if (name == SRS_CMD_RESULT || name == SRS_CMD_ERROR) {
        auto it = requests_.find(tid);
        std::string request = it == requests_.end() ? "" : it->second;
        if (it != requests_.end()) {
            requests_.erase(it);
        }
        if (request == SRS_CMD_CONNECT) {
            pkt = std::make_unique<SrsConnectAppResPacket>();
        } else if (request == SRS_CMD_CREATE_STREAM && name == SRS_CMD_RESULT) {
            pkt = std::make_unique<SrsCreateStreamResPacket>();
        } else if ((request == SRS_CMD_RELEASE_STREAM || request == SRS_CMD_FC_PUBLISH ||
                    request == SRS_CMD_FC_UNPUBLISH) &&
                   name == SRS_CMD_RESULT) {
            pkt = std::make_unique<SrsFMLEStartResPacket>();
        } else {
            // Unknown requests, and errors of known ones, keep the generic shape.
            pkt = std::make_unique<SrsCallResPacket>();
        }
    } else if (name == SRS_CMD_CONNECT) {
        pkt = std::make_unique<SrsConnectAppPacket>();
    } else if (name == SRS_CMD_CREATE_STREAM) {
        pkt = std::make_unique<SrsCreateStreamPacket>();
    } else if (name == SRS_CMD_PLAY) {
        pkt = std::make_unique<SrsPlayPacket>();
    } else if (name == SRS_CMD_PLAY2) {
        pkt = std::make_unique<SrsPlay2Packet>();
    } else if (name == SRS_CMD_PAUSE) {
        pkt = std::make_unique<SrsPausePacket>();
    } else if (name == SRS_CMD_RELEASE_STREAM || name == SRS_CMD_FC_PUBLISH || name == SRS_CMD_FC_UNPUBLISH) {
        pkt = std::make_unique<SrsFMLEStartPacket>();
    } else if (name == SRS_CMD_PUBLISH) {
        pkt = std::make_unique<SrsPublishPacket>();
    } else if (name == SRS_CMD_CLOSE_STREAM) {
        pkt = std::make_unique<SrsCloseStreamPacket>();
    } else if (name == SRS_CMD_DELETE_STREAM) {
        pkt = std::make_unique<SrsDeleteStreamPacket>();
    } else if (name == SRS_CMD_RECEIVE_AUDIO || name == SRS_CMD_RECEIVE_VIDEO) {
        pkt = std::make_unique<SrsReceiveAVPacket>();
    } else if (name == SRS_CMD_GET_STREAM_LENGTH) {
        pkt = std::make_unique<SrsGetStreamLengthPacket>();
    } else if (name == SRS_CMD_ON_BW_DONE) {
        pkt = std::make_unique<SrsOnBWDonePacket>();
    } else if (name == SRS_CMD_ON_STATUS || name == SRS_CMD_ON_FC_PUBLISH || name == SRS_CMD_ON_FC_UNPUBLISH) {
        pkt = std::make_unique<SrsOnStatusCallPacket>();
    } else {
        pkt = std::make_unique<SrsCallPacket>();
    }

    SrsBuffer buf(const_cast<char*>(data), size);
    if ((err = pkt->decode(&buf)) != srs_success) {
        return srs_error_wrap(err, "decode command %s", name.c_str());
    }
    *out = std::move(pkt);
    return srs_success;
}

srs_error_t SrsRtmpCommandDecoder::decode_data(const char* data, int size, std::unique_ptr<SrsPacket>* out) {
    srs_error_t err = srs_success;
    std::string name;
    std::string wrapped;
    {
        SrsBuffer peek(const_cast<char*>(data), size);
        if ((err = srs_amf0_read_string(&peek, &name)) != srs_success) {
            return srs_error_wrap(err, "data name");
        }
        if (name == SRS_DATA_SET_DATAFRAME && (err = srs_amf0_read_string(&peek, &wrapped)) != srs_success) {
            // Not a wrapped frame name: decoded below as a plain data packet.
            srs_error_reset(err);
        }
    }

    std::unique_ptr<SrsPacket> pkt;
    // Only @setDataFrame onMetaData replaces the stream's metadata; any other frame it wraps
    // (onTextData, onStatus, ...) stays a plain data packet, so it cannot clobber the metadata
    // that players get, and it encodes back to the same bytes.
    if (name == SRS_DATA_ON_METADATA || (name == SRS_DATA_SET_DATAFRAME && wrapped == SRS_DATA_ON_METADATA)) {
        pkt = std::make_unique<SrsOnMetaDataPacket>();
    } else if (name == SRS_DATA_SAMPLE_ACCESS) {
        pkt = std::make_unique<SrsSampleAccessPacket>();
    } else if (name == SRS_CMD_ON_STATUS) {
        pkt = std::make_unique<SrsOnStatusDataPacket>();
    } else {
        pkt = std::make_unique<SrsDataPacket>();
    }
    SrsBuffer buf(const_cast<char*>(data), size);
    if ((err = pkt->decode(&buf)) != srs_success) {
        return srs_error_wrap(err, "decode data %s", name.c_str());
    }
    *out = std::move(pkt);
    return srs_success;
}
