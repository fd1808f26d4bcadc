#include <srs_protocol_rtmp_stack.hpp>

#include <srs_core_log.hpp>
#include <srs_core_st.hpp>
#include <srs_protocol_rtmp_chunk.hpp>

#include <algorithm>
#include <climits>
#include <cstring>

namespace {

// The most iovecs one writev takes.
#ifdef IOV_MAX
const int kMaxIovs = IOV_MAX;
#else
const int kMaxIovs = 1024;
#endif
// Every chunk needs a header iovec, so a batch holds at most kMaxIovs headers.
const int kHeaderBufferSize = kMaxIovs * SRS_RTMP_MAX_CHUNK_HEADER;
// The smallest header buffer of a batch (a batch is sized for its chunks, and grows on demand
// up to kHeaderBufferSize when a Set Chunk Size in it makes more chunks).
const int kHeaderBufferMin = 256;
// Payload runs at least this long are read straight into the message, skipping the buffer.
const int kDirectReadMin = 16 * 1024;

const int kDefaultMaxMessageSize = 16 * 1024 * 1024;
const int kDefaultMaxChunkStreams = 128;

uint32_t srs_be16(const char* p) {
    return ((uint32_t)(uint8_t)p[0] << 8) | (uint8_t)p[1];
}

uint32_t srs_be24(const char* p) {
    return ((uint32_t)(uint8_t)p[0] << 16) | ((uint32_t)(uint8_t)p[1] << 8) | (uint8_t)p[2];
}

uint32_t srs_be32(const char* p) {
    return ((uint32_t)(uint8_t)p[0] << 24) | ((uint32_t)(uint8_t)p[1] << 16) | ((uint32_t)(uint8_t)p[2] << 8) |
           (uint8_t)p[3];
}

uint32_t srs_le32(const char* p) {
    return ((uint32_t)(uint8_t)p[3] << 24) | ((uint32_t)(uint8_t)p[2] << 16) | ((uint32_t)(uint8_t)p[1] << 8) |
           (uint8_t)p[0];
}

void srs_put_be16(char* p, uint32_t v) {
    p[0] = (char)(v >> 8);
    p[1] = (char)v;
}

void srs_put_be32(char* p, uint32_t v) {
    p[0] = (char)(v >> 24);
    p[1] = (char)(v >> 16);
    p[2] = (char)(v >> 8);
    p[3] = (char)v;
}

}  // namespace

// The receive state of one chunk stream: the last header (fmt 1/2/3 chunks inherit from it)
// and the message being assembled.
struct SrsRtmpProtocol::ChunkStream {
    // A fmt 0 (or fmt 1) header has been seen, so later formats have fields to inherit.
    bool has_header = false;
    uint8_t type = 0;
    int32_t length = 0;
    int32_t stream_id = 0;
    // The 32-bit wire timestamp of the current message.
    uint32_t timestamp = 0;
    // The delta a fmt 3 chunk starting a new message adds; after fmt 0 it is the
    // timestamp itself (RTMP spec 5.3.1.2.4).
    uint32_t delta = 0;
    // The last fmt 0/1/2 header had an extended timestamp of this value; fmt 3 chunks may
    // repeat it.
    bool extended = false;
    uint32_t extended_value = 0;
    // The message being assembled; null between messages.
    std::shared_ptr<SrsSharedPayload> payload;
    int received = 0;
};

SrsRtmpProtocol::SrsRtmpProtocol(ISrsProtocolReadWriter* io)
    : io_(io),
      rbuf_(SRS_RTMP_READ_BUFFER_INITIAL),
      in_chunk_size_(SRS_RTMP_DEFAULT_CHUNK_SIZE),
      out_chunk_size_(SRS_RTMP_DEFAULT_CHUNK_SIZE),
      max_message_size_(kDefaultMaxMessageSize),
      max_chunk_streams_(kDefaultMaxChunkStreams),
      max_partial_bytes_(SRS_RTMP_DEFAULT_MAX_PARTIAL_BYTES),
      fast_streams_(64) {}

SrsRtmpProtocol::~SrsRtmpProtocol() = default;

void SrsRtmpProtocol::set_recv_timeout(srs_utime_t tm) {
    io_->set_recv_timeout(tm);
}

void SrsRtmpProtocol::set_send_timeout(srs_utime_t tm) {
    io_->set_send_timeout(tm);
}

srs_utime_t SrsRtmpProtocol::get_recv_timeout() {
    return io_->get_recv_timeout();
}

srs_utime_t SrsRtmpProtocol::get_send_timeout() {
    return io_->get_send_timeout();
}

int64_t SrsRtmpProtocol::get_recv_bytes() {
    return io_->get_recv_bytes();
}

int64_t SrsRtmpProtocol::get_send_bytes() {
    return io_->get_send_bytes();
}

srs_error_t SrsRtmpProtocol::recv_message(SrsMediaMessage* msg) {
    srs_error_t err = srs_success;
    while (true) {
        bool got = false;
        if ((err = recv_chunk(msg, &got)) != srs_success) {
            return srs_error_wrap(err, "recv chunk");
        }
        if (!got) {
            continue;
        }
        if ((err = on_recv_message(*msg)) != srs_success) {
            return srs_error_wrap(err, "on message type=%d", msg->type);
        }
        return srs_success;
    }
}

srs_error_t SrsRtmpProtocol::recv_chunk(SrsMediaMessage* msg, bool* got) {
    srs_error_t err = srs_success;

    // A chunk whose payload was cut short by a timeout resumes where it stopped.
    if (!chunk_cs_) {
        if ((err = read_chunk_header()) != srs_success) {
            return err;
        }
        if (!chunk_cs_) {
            // A zero-length message: nothing to assemble or to hand out.
            return check_acknowledgement();
        }
    }

    ChunkStream* cs = chunk_cs_;
    if ((err = read_payload(cs)) != srs_success) {
        return srs_error_wrap(err, "payload csid=%d", chunk_csid_);
    }
    chunk_cs_ = nullptr;

    if ((err = check_acknowledgement()) != srs_success) {
        return srs_error_wrap(err, "ack");
    }

    if (cs->received < cs->length) {
        return srs_success;
    }
    msg->type = cs->type;
    msg->timestamp = cs->timestamp;
    msg->stream_id = cs->stream_id;
    msg->cid = chunk_csid_;
    msg->payload = std::move(cs->payload);
    cs->payload.reset();
    cs->received = 0;
    partial_bytes_ -= cs->length;
    *got = true;
    return srs_success;
}

srs_error_t SrsRtmpProtocol::read_chunk_header() {
    srs_error_t err = srs_success;

    // The header is parsed at offsets from rpos_ and consumed only once complete, so a
    // timeout in the middle leaves nothing half read: the next call starts over.
    // Basic header (RTMP spec 5.3.1.1).
    if ((err = ensure(1)) != srs_success) {
        return srs_error_wrap(err, "basic header");
    }
    uint8_t b0 = (uint8_t)rbuf_[rpos_];
    int fmt = b0 >> 6;
    int csid = b0 & 0x3f;
    int pos = 1;
    if (csid == 0) {
        if ((err = ensure(2)) != srs_success) {
            return srs_error_wrap(err, "basic header");
        }
        csid = 64 + (uint8_t)rbuf_[rpos_ + 1];
        pos = 2;
    } else if (csid == 1) {
        if ((err = ensure(3)) != srs_success) {
            return srs_error_wrap(err, "basic header");
        }
        csid = 64 + (uint8_t)rbuf_[rpos_ + 1] + 256 * (uint8_t)rbuf_[rpos_ + 2];
        pos = 3;
    }

    ChunkStream* cs = nullptr;
    if ((err = find_chunk_stream(csid, &cs)) != srs_success) {
        return srs_error_wrap(err, "csid=%d", csid);
    }
    bool first_chunk = !cs->payload;

    // A chunk stream starts with fmt 0; librtmp starts its ping stream with fmt 1, which
    // carries everything but the stream id (0 then). fmt 2/3 have nothing to inherit.
    if (!cs->has_header && fmt != SrsRtmpFmt0 && fmt != SrsRtmpFmt1) {
        return srs_error_new(ERROR_RTMP_CHUNK_START, "csid=%d: fresh chunk stream starts with fmt %d", csid, fmt);
    }
    // A fmt 0 chunk starts a message; one in the middle of a message is a broken stream.
    if (!first_chunk && fmt == SrsRtmpFmt0) {
        return srs_error_new(ERROR_RTMP_CHUNK_START, "csid=%d: fmt 0 inside a message, %d of %d bytes", csid,
                             cs->received, cs->length);
    }

    if (fmt == SrsRtmpFmt3) {
        // Flash and FMLE repeat the extended timestamp in fmt 3 chunks, ffmpeg and librtmp
        // may not: skip the 4 bytes only when they equal the extended timestamp. Compare
        // byte by byte and read on only while they match: a short chunk without the repeat
        // may be the last bytes the peer sends before waiting for our answer.
        if (cs->extended) {
            bool repeated = true;
            for (int i = 0; i < 4 && repeated; i++) {
                if ((err = ensure(pos + i + 1)) != srs_success) {
                    return srs_error_wrap(err, "csid=%d fmt 3 extended timestamp", csid);
                }
                repeated = ((uint8_t)rbuf_[rpos_ + pos + i] == (uint8_t)(cs->extended_value >> (24 - 8 * i)));
            }
            if (repeated) {
                pos += 4;
            }
        }
        rpos_ += pos;
        // A fmt 3 chunk starting a new message reuses the whole header, delta included.
        if (first_chunk) {
            cs->timestamp += cs->delta;
        }
        return start_chunk(cs, csid);
    }

    // Message header (RTMP spec 5.3.1.2), then the extended timestamp (5.3.1.3).
    static const int kMessageHeaderSizes[] = {11, 7, 3};
    int size = kMessageHeaderSizes[fmt];
    if ((err = ensure(pos + size)) != srs_success) {
        return srs_error_wrap(err, "csid=%d fmt %d header", csid, fmt);
    }
    const char* p = &rbuf_[rpos_ + pos];
    uint32_t ts = srs_be24(p);
    int32_t length = cs->length;
    uint8_t type = cs->type;
    int32_t stream_id = cs->stream_id;
    if (fmt <= SrsRtmpFmt1) {
        length = (int32_t)srs_be24(p + 3);
        type = (uint8_t)p[6];
    }
    if (fmt == SrsRtmpFmt0) {
        stream_id = (int32_t)srs_le32(p + 7);
    }
    pos += size;
    bool extended = (ts == SRS_RTMP_EXTENDED_TIMESTAMP);
    if (extended) {
        if ((err = ensure(pos + 4)) != srs_success) {
            return srs_error_wrap(err, "csid=%d extended timestamp", csid);
        }
        ts = srs_be32(&rbuf_[rpos_ + pos]);
        pos += 4;
    }
    if (!first_chunk && length != cs->length) {
        return srs_error_new(ERROR_RTMP_MSG_INVALID_SIZE, "csid=%d: length changed from %d to %d inside a message",
                             csid, cs->length, length);
    }

    rpos_ += pos;
    cs->extended = extended;
    if (extended) {
        cs->extended_value = ts;
    }
    if (fmt == SrsRtmpFmt0) {
        cs->timestamp = ts;
    } else {
        cs->timestamp += ts;
    }
    // After fmt 0 the delta for a following fmt 3 message is the timestamp (5.3.1.2.4).
    cs->delta = ts;
    cs->length = length;
    cs->type = type;
    cs->stream_id = stream_id;
    cs->has_header = true;
    return start_chunk(cs, csid);
}

srs_error_t SrsRtmpProtocol::start_chunk(ChunkStream* cs, int csid) {
    if (!cs->payload) {
        if (cs->length == 0) {
            return srs_success;
        }
        if (cs->length > max_message_size_) {
            return srs_error_new(ERROR_RTMP_MESSAGE_TOO_LARGE, "csid=%d type=%d length %d exceeds %d", csid, cs->type,
                                 cs->length, max_message_size_);
        }
        if (partial_bytes_ + cs->length > max_partial_bytes_) {
            return srs_error_new(ERROR_RTMP_MESSAGE_TOO_LARGE,
                                 "csid=%d type=%d length %d: partial messages would hold %lld bytes, over %lld", csid,
                                 cs->type, cs->length, (long long)(partial_bytes_ + cs->length),
                                 (long long)max_partial_bytes_);
        }
        // One allocation of the whole message, filled chunk by chunk: never copied again.
        cs->payload = std::make_shared<SrsSharedPayload>(cs->length);
        cs->received = 0;
        partial_bytes_ += cs->length;
        peak_partial_bytes_ = std::max(peak_partial_bytes_, partial_bytes_);
    }
    chunk_cs_ = cs;
    chunk_csid_ = csid;
    chunk_left_ = std::min(cs->length - cs->received, in_chunk_size_);
    return srs_success;
}

srs_error_t SrsRtmpProtocol::find_chunk_stream(int csid, ChunkStream** out) {
    std::unique_ptr<ChunkStream>* slot = nullptr;
    if (csid < (int)fast_streams_.size()) {
        slot = &fast_streams_[csid];
    } else {
        auto it = other_streams_.find(csid);
        if (it != other_streams_.end()) {
            *out = it->second.get();
            return srs_success;
        }
    }
    if (slot && *slot) {
        *out = slot->get();
        return srs_success;
    }

    if (nb_streams_ >= max_chunk_streams_) {
        return srs_error_new(ERROR_RTMP_CHUNK_STREAMS_LIMIT, "chunk streams exceed %d", max_chunk_streams_);
    }
    nb_streams_++;
    auto cs = std::make_unique<ChunkStream>();
    *out = cs.get();
    if (slot) {
        *slot = std::move(cs);
    } else {
        other_streams_[csid] = std::move(cs);
    }
    return srs_success;
}

srs_error_t SrsRtmpProtocol::ensure(int n) {
    srs_error_t err = srs_success;
    while (wpos_ - rpos_ < n) {
        if ((err = fill()) != srs_success) {
            return err;
        }
    }
    return srs_success;
}

void SrsRtmpProtocol::release_read_buffer() {
    if (rpos_ == wpos_) {
        std::vector<char>().swap(rbuf_);
        rpos_ = wpos_ = 0;
        rbuf_grow_ = false;
    }
}

srs_error_t SrsRtmpProtocol::fill() {
    if (rbuf_.empty()) {
        rbuf_.resize(SRS_RTMP_READ_BUFFER_INITIAL);
    }
    // Keep the unparsed tail (at most a partial header) at the front.
    if (rpos_ > 0) {
        int left = wpos_ - rpos_;
        if (left > 0) {
            memmove(rbuf_.data(), rbuf_.data() + rpos_, left);
        }
        rpos_ = 0;
        wpos_ = left;
    }
    if (rbuf_grow_ && (int)rbuf_.size() < SRS_RTMP_READ_BUFFER_MAX) {
        rbuf_.resize(std::min((int)rbuf_.size() * 2, SRS_RTMP_READ_BUFFER_MAX));
    }
    rbuf_grow_ = false;

    int space = (int)rbuf_.size() - wpos_;
    ssize_t nread = 0;
    srs_error_t err = io_->read(rbuf_.data() + wpos_, space, &nread);
    if (err) {
        return srs_error_wrap(err, "read");
    }
    if (nread <= 0 || nread > space) {
        return srs_error_new(ERROR_SOCKET_READ, "read gave %d of %d bytes", (int)nread, space);
    }
    wpos_ += (int)nread;
    // A full buffer means the peer sends faster than we parse: read more per syscall.
    rbuf_grow_ = (nread == space);
    return srs_success;
}

srs_error_t SrsRtmpProtocol::read_payload(ChunkStream* cs) {
    srs_error_t err = srs_success;
    // Progress is kept in cs->received and chunk_left_, so a timeout loses nothing.
    while (chunk_left_ > 0) {
        char* dst = cs->payload->data() + cs->received;
        int avail = wpos_ - rpos_;
        if (avail > 0) {
            int n = std::min(avail, chunk_left_);
            memcpy(dst, &rbuf_[rpos_], n);
            rpos_ += n;
            cs->received += n;
            chunk_left_ -= n;
            continue;
        }
        if (chunk_left_ >= kDirectReadMin) {
            // Large payloads go straight into the message: one copy fewer, fewer syscalls.
            ssize_t nread = 0;
            if ((err = io_->read(dst, chunk_left_, &nread)) != srs_success) {
                return srs_error_wrap(err, "read");
            }
            if (nread <= 0 || nread > chunk_left_) {
                return srs_error_new(ERROR_SOCKET_READ, "read gave %d of %d bytes", (int)nread, chunk_left_);
            }
            cs->received += (int)nread;
            chunk_left_ -= (int)nread;
            continue;
        }
        if ((err = fill()) != srs_success) {
            return err;
        }
    }
    return srs_success;
}

srs_error_t SrsRtmpProtocol::check_acknowledgement() {
    // RTMP spec 5.4.3: acknowledge once the peer's window of bytes has been received.
    if (in_ack_window_ == 0) {
        return srs_success;
    }
    // Bytes parsed so far: what the socket delivered less what waits in our buffer.
    int64_t recv = io_->get_recv_bytes() - (wpos_ - rpos_);
    if (recv - last_ack_bytes_ < (int64_t)in_ack_window_) {
        return srs_success;
    }
    last_ack_bytes_ = recv;
    return send_acknowledgement((uint32_t)recv);
}

srs_error_t SrsRtmpProtocol::on_recv_message(const SrsMediaMessage& msg) {
    srs_error_t err = srs_success;
    const char* p = msg.data();
    int size = msg.size();

    switch (msg.type) {
        case SrsMsgSetChunkSize: {
            if (size < 4) {
                return srs_error_new(ERROR_RTMP_PACKET_SIZE, "set chunk size of %d bytes", size);
            }
            // RTMP spec 5.4.1: 31 bits, 1 to 0x7fffffff. Payload buffers are per message,
            // so a huge chunk size costs nothing.
            int32_t v = (int32_t)srs_be32(p);
            if (v <= 0) {
                return srs_error_new(ERROR_RTMP_CHUNK_SIZE, "invalid chunk size %d", v);
            }
            srs_info("rtmp: in chunk size %d to %d", in_chunk_size_, v);
            in_chunk_size_ = v;
            break;
        }
        case SrsMsgAbort: {
            if (size < 4) {
                return srs_error_new(ERROR_RTMP_PACKET_SIZE, "abort of %d bytes", size);
            }
            uint32_t csid = srs_be32(p);
            ChunkStream* cs = nullptr;
            if (csid < fast_streams_.size()) {
                cs = fast_streams_[csid].get();
            } else if (csid <= SRS_RTMP_CSID_MAX) {
                auto it = other_streams_.find((int)csid);
                cs = (it != other_streams_.end()) ? it->second.get() : nullptr;
            }
            // RTMP spec 5.4.2: discard the partially received message of that chunk stream.
            if (cs && cs->payload) {
                partial_bytes_ -= cs->length;
                cs->payload.reset();
                cs->received = 0;
            }
            break;
        }
        case SrsMsgAcknowledgement:
            if (size >= 4) {
                peer_ack_sequence_ = srs_be32(p);
            }
            break;
        case SrsMsgWindowAckSize: {
            if (size < 4) {
                return srs_error_new(ERROR_RTMP_PACKET_SIZE, "window ack size of %d bytes", size);
            }
            // Counted from the last ack (or the start), as SRS and ffmpeg do.
            in_ack_window_ = srs_be32(p);
            break;
        }
        case SrsMsgSetPeerBandwidth: {
            if (size < 4) {
                return srs_error_new(ERROR_RTMP_PACKET_SIZE, "set peer bandwidth of %d bytes", size);
            }
            uint32_t window = srs_be32(p);
            int type = (size >= 5) ? (int)(uint8_t)p[4] : (int)SrsPeerBandwidthHard;
            // RTMP spec 5.4.5: a soft limit only lowers the window; dynamic is hard when the
            // previous limit was hard, else ignored. Answer with Window Ack Size on change.
            bool apply = false;
            if (type == SrsPeerBandwidthHard) {
                apply = true;
            } else if (type == SrsPeerBandwidthSoft) {
                apply = (out_ack_window_ == 0 || window < out_ack_window_);
            } else if (type == SrsPeerBandwidthDynamic) {
                apply = (peer_bandwidth_type_ == SrsPeerBandwidthHard);
            }
            if (apply) {
                peer_bandwidth_type_ = (type == SrsPeerBandwidthDynamic) ? (int)SrsPeerBandwidthHard : type;
                if (window != out_ack_window_ && window > 0 && window <= INT_MAX) {
                    if ((err = send_window_ack_size((int)window)) != srs_success) {
                        return srs_error_wrap(err, "answer set peer bandwidth");
                    }
                }
            }
            break;
        }
        case SrsMsgUserControl: {
            int event = 0;
            uint32_t data = 0, extra = 0;
            if ((err = srs_rtmp_decode_user_control(msg, &event, &data, &extra)) != srs_success) {
                // Odd user control events from some clients are not worth the connection.
                srs_warn("rtmp: ignore user control: %s", srs_error_summary(err).c_str());
                srs_error_reset(err);
                break;
            }
            if (event == SrsUcPingRequest) {
                if ((err = send_user_control(SrsUcPingResponse, data)) != srs_success) {
                    return srs_error_wrap(err, "answer ping");
                }
            }
            break;
        }
        default:
            break;
    }
    return srs_success;
}

srs_error_t SrsRtmpProtocol::send_message(const SrsMediaMessage& msg) {
    return send_messages(&msg, 1);
}

srs_error_t SrsRtmpProtocol::send_messages(const SrsMediaMessage* msgs, int count) {
    srs_error_t err = acquire_sender();
    if (err) {
        return srs_error_wrap(err, "send");
    }
    err = do_send_messages(msgs, count);
    release_sender();
    return err;
}

srs_error_t SrsRtmpProtocol::acquire_sender() {
    while (sending_) {
        if (!send_cond_) {
            send_cond_ = std::make_unique<SrsCond>();
        }
        if (!send_cond_->wait(io_->get_send_timeout())) {
            return srs_error_new(ERROR_SOCKET_TIMEOUT, "wait for another sender: timeout or interrupted");
        }
    }
    sending_ = true;
    return srs_success;
}

void SrsRtmpProtocol::release_sender() {
    sending_ = false;
    if (send_cond_) {
        send_cond_->broadcast();
    }
}

srs_error_t SrsRtmpProtocol::do_send_messages(const SrsMediaMessage* msgs, int count) {
    srs_error_t err = srs_success;
    // The header buffer and the iovecs live for one batch: a player spends nearly all its life
    // between batches, and as one coroutine runs at a time, the allocator hands the same memory
    // from one player's batch to the next instead of every connection keeping its own.
    int chunks = 0;
    for (int i = 0; i < count; i++) {
        chunks += 1 + (msgs[i].size() > 0 ? (msgs[i].size() - 1) / out_chunk_size_ : 0);
    }
    hcap_ = std::max(kHeaderBufferMin, std::min(chunks * SRS_RTMP_MAX_CHUNK_HEADER, kHeaderBufferSize));
    hbuf_.reset(new char[hcap_]);
    hpos_ = 0;
    iovs_.clear();
    iovs_.reserve(std::min(2 * chunks, kMaxIovs));
    SendBuffersRelease release(this);

    for (int i = 0; i < count; i++) {
        const SrsMediaMessage& m = msgs[i];
        int size = m.size();
        if (size > SRS_RTMP_MAX_MESSAGE_LENGTH) {
            return srs_error_new(ERROR_RTMP_MSG_INVALID_SIZE, "type=%d size %d exceeds 24 bits", m.type, size);
        }
        int csid = srs_rtmp_default_cid(m);
        // 32 bits on the wire (RTMP spec 5.3.1.2.1): a 64-bit timestamp wraps.
        uint32_t ts = (uint32_t)m.timestamp;
        const char* p = m.data();
        int left = size;
        bool first = true;
        // SRS always sends fmt 0 for the first chunk of a message: simple, and every player
        // resynchronises on any message. Continuation chunks are fmt 3.
        while (first || left > 0) {
            if (hpos_ + SRS_RTMP_MAX_CHUNK_HEADER > hcap_ && hcap_ < kHeaderBufferSize) {
                grow_header_buffer();
            }
            if ((int)iovs_.size() + 2 > kMaxIovs || hpos_ + SRS_RTMP_MAX_CHUNK_HEADER > hcap_) {
                if ((err = flush_iovs()) != srs_success) {
                    return srs_error_wrap(err, "flush");
                }
            }
            char* h = hbuf_.get() + hpos_;
            int hn = first ? srs_rtmp_write_fmt0_header(h, csid, ts, size, m.type, m.stream_id)
                           : srs_rtmp_write_fmt3_header(h, csid, ts);
            hpos_ += hn;
            iovs_.push_back(iovec{h, (size_t)hn});
            int n = std::min(left, out_chunk_size_);
            if (n > 0) {
                iovs_.push_back(iovec{const_cast<char*>(p), (size_t)n});
                p += n;
                left -= n;
            }
            first = false;
        }

        // Control messages sent through here take effect for the messages after them.
        if (m.type == SrsMsgSetChunkSize && size >= 4) {
            int32_t v = (int32_t)srs_be32(m.data());
            if (v > 0) {
                out_chunk_size_ = v;
            }
        } else if (m.type == SrsMsgWindowAckSize && size >= 4) {
            out_ack_window_ = srs_be32(m.data());
        }
    }
    return flush_iovs();
}

void SrsRtmpProtocol::release_send_buffers() {
    hbuf_.reset();
    hcap_ = 0;
    hpos_ = 0;
    std::vector<iovec>().swap(iovs_);
}

void SrsRtmpProtocol::grow_header_buffer() {
    int cap = std::min(hcap_ * 2, kHeaderBufferSize);
    std::unique_ptr<char[]> next(new char[cap]);
    memcpy(next.get(), hbuf_.get(), hpos_);
    // The header iovecs of the batch being built point into the old buffer: move them.
    const char* begin = hbuf_.get();
    const char* end = begin + hpos_;
    for (iovec& iov : iovs_) {
        const char* b = (const char*)iov.iov_base;
        if (b >= begin && b < end) {
            iov.iov_base = next.get() + (b - begin);
        }
    }
    hbuf_.swap(next);
    hcap_ = cap;
}

srs_error_t SrsRtmpProtocol::flush_iovs() {
    srs_error_t err = srs_success;
    iovec* iov = iovs_.data();
    int n = (int)iovs_.size();
    while (n > 0) {
        ssize_t nwrite = 0;
        if ((err = io_->writev(iov, n, &nwrite)) != srs_success) {
            return srs_error_wrap(err, "writev %d iovs", n);
        }
        if (nwrite <= 0) {
            return srs_error_new(ERROR_SOCKET_WRITE, "writev wrote %d bytes", (int)nwrite);
        }
        // A writer may take part of the batch; go on from where it stopped.
        while (n > 0 && (size_t)nwrite >= iov->iov_len) {
            nwrite -= (ssize_t)iov->iov_len;
            iov++;
            n--;
        }
        if (n > 0) {
            iov->iov_base = (char*)iov->iov_base + nwrite;
            iov->iov_len -= (size_t)nwrite;
        }
    }
    iovs_.clear();
    hpos_ = 0;
    return srs_success;
}

srs_error_t SrsRtmpProtocol::send_control(uint8_t type, const char* payload, int size) {
    SrsMediaMessage msg = SrsMediaMessage::create(type, 0, 0, payload, size);
    msg.cid = SRS_RTMP_CID_PROTOCOL_CONTROL;
    return send_message(msg);
}

srs_error_t SrsRtmpProtocol::set_out_chunk_size(int size) {
    if (size <= 0) {
        return srs_error_new(ERROR_RTMP_CHUNK_SIZE, "invalid out chunk size %d", size);
    }
    char b[4];
    srs_put_be32(b, (uint32_t)size);
    // The message goes out in the old chunk size; do_send_messages switches after it.
    srs_error_t err = send_control(SrsMsgSetChunkSize, b, sizeof(b));
    if (err) {
        return srs_error_wrap(err, "set chunk size %d", size);
    }
    return srs_success;
}

srs_error_t SrsRtmpProtocol::send_window_ack_size(int size) {
    char b[4];
    srs_put_be32(b, (uint32_t)size);
    srs_error_t err = send_control(SrsMsgWindowAckSize, b, sizeof(b));
    if (err) {
        return srs_error_wrap(err, "window ack size %d", size);
    }
    return srs_success;
}

srs_error_t SrsRtmpProtocol::send_set_peer_bandwidth(int bandwidth, int type) {
    char b[5];
    srs_put_be32(b, (uint32_t)bandwidth);
    b[4] = (char)type;
    srs_error_t err = send_control(SrsMsgSetPeerBandwidth, b, sizeof(b));
    if (err) {
        return srs_error_wrap(err, "set peer bandwidth %d type %d", bandwidth, type);
    }
    return srs_success;
}

srs_error_t SrsRtmpProtocol::send_acknowledgement(uint32_t sequence) {
    char b[4];
    srs_put_be32(b, sequence);
    srs_error_t err = send_control(SrsMsgAcknowledgement, b, sizeof(b));
    if (err) {
        return srs_error_wrap(err, "acknowledgement %u", sequence);
    }
    return srs_success;
}

srs_error_t SrsRtmpProtocol::send_user_control(int event, uint32_t data, uint32_t extra) {
    char b[10];
    srs_put_be16(b, (uint32_t)event);
    srs_put_be32(b + 2, data);
    int size = 6;
    if (event == SrsUcSetBufferLength) {
        srs_put_be32(b + 6, extra);
        size = 10;
    }
    srs_error_t err = send_control(SrsMsgUserControl, b, size);
    if (err) {
        return srs_error_wrap(err, "user control event %d", event);
    }
    return srs_success;
}

srs_error_t srs_rtmp_decode_user_control(const SrsMediaMessage& msg, int* event, uint32_t* data, uint32_t* extra) {
    const char* p = msg.data();
    int size = msg.size();
    if (msg.type != SrsMsgUserControl) {
        return srs_error_new(ERROR_RTMP_PACKET_SIZE, "type %d is not user control", msg.type);
    }
    if (size < 2) {
        return srs_error_new(ERROR_RTMP_PACKET_SIZE, "user control of %d bytes", size);
    }
    *event = (int)srs_be16(p);
    *data = 0;
    *extra = 0;
    // The spec's events (0..7) carry 4 bytes of data; SWF verification has its own layout.
    if (*event <= SrsUcPingResponse && size < 6) {
        return srs_error_new(ERROR_RTMP_PACKET_SIZE, "user control event %d of %d bytes", *event, size);
    }
    if (size >= 6) {
        *data = srs_be32(p + 2);
    }
    if (*event == SrsUcSetBufferLength) {
        if (size < 10) {
            return srs_error_new(ERROR_RTMP_PACKET_SIZE, "set buffer length of %d bytes", size);
        }
        *extra = srs_be32(p + 6);
    }
    return srs_success;
}
