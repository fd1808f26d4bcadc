// The RTMP chunk stream (RTMP spec 5.3) and protocol control messages (5.4, 7.1.7): turns
// bytes into whole messages and messages into chunks, over an ISrsProtocolReadWriter.
#pragma once

#include <srs_core_error.hpp>
#include <srs_core_io.hpp>
#include <srs_kernel_message.hpp>

#include <memory>
#include <unordered_map>
#include <vector>

class SrsCond;

// Reads and writes RTMP messages over a connection: chunking, protocol control, acks.
//
// One coroutine receives. Sends may come from several coroutines (a player's sender and its
// receiver answering pings or acking); they are serialised, so chunks of two batches never
// mix on the wire: a sender waits (up to the send timeout) while another one writes.
class SrsRtmpProtocol {
public:
    explicit SrsRtmpProtocol(ISrsProtocolReadWriter* io);
    ~SrsRtmpProtocol();
    SRS_DISALLOW_COPY(SrsRtmpProtocol);

public:
    void set_recv_timeout(srs_utime_t tm);
    void set_send_timeout(srs_utime_t tm);
    srs_utime_t get_recv_timeout();
    srs_utime_t get_send_timeout();
    int64_t get_recv_bytes();
    int64_t get_send_bytes();

    // Reads the next complete message of any type. Protocol control messages are applied
    // before they are returned: Set Chunk Size (1) changes the in chunk size, Abort (2) drops
    // the partial message of that chunk stream, Window Ack Size (5) sets the peer's window,
    // User Control Ping Request is answered with Ping Response, Set Peer Bandwidth (6) is
    // answered with our Window Ack Size when it differs (5.4.5). Acknowledgement (3) is sent
    // when the bytes received since the last ack reach the window set by the peer (5.4.3).
    // A recv timeout loses no bytes: calling again resumes where it stopped, so callers may
    // poll with a short timeout. Zero-length messages are skipped. Timestamps are the 32-bit
    // wire values (no unwrap: a negative first timestamp from an encoder would otherwise jump
    // by 2^32).
    srs_error_t recv_message(SrsMediaMessage* msg);

    // Sends messages: chunk headers go to an internal buffer, payloads by reference (never
    // copied), written with as few writev calls as possible (batches bounded by IOV_MAX).
    // The chunk stream id is msg.cid when set, else chosen by type (srs_rtmp_default_cid).
    // A Set Chunk Size or Window Ack Size message among them takes effect for what follows.
    srs_error_t send_messages(const SrsMediaMessage* msgs, int count);
    srs_error_t send_message(const SrsMediaMessage& msg);

    // Sends Set Chunk Size, then uses it for output (128 until then; SRS uses 60000).
    srs_error_t set_out_chunk_size(int size);
    int in_chunk_size() const { return in_chunk_size_; }
    // Bytes read from the peer and not parsed yet (maybe a whole message).
    bool has_buffered_input() const { return wpos_ > rpos_; }
    // Frees the read buffer when it holds nothing unparsed; the next read allocates it again.
    // For a player, which sends a few bytes a minute: 1 KiB less per player between its reads.
    void release_read_buffer();
    int out_chunk_size() const { return out_chunk_size_; }

    // Type 5; also the window we expect acks for.
    srs_error_t send_window_ack_size(int size);
    // Type 6; type 0 hard, 1 soft, 2 dynamic.
    srs_error_t send_set_peer_bandwidth(int bandwidth, int type);
    // Type 3.
    srs_error_t send_acknowledgement(uint32_t sequence);
    // User Control (type 4, RTMP spec 7.1.7): Stream Begin 0, Stream EOF 1, Stream Dry 2,
    // Set Buffer Length 3 (data = stream id, extra = buffer ms), Stream Is Recorded 4, Ping
    // Request 6, Ping Response 7.
    srs_error_t send_user_control(int event, uint32_t data, uint32_t extra = 0);

    // Limits against abuse; exceeding them is an error for this connection only.
    // Default 16 MiB per message (a 4K keyframe is well under).
    void set_max_message_size(int bytes) { max_message_size_ = bytes; }
    int max_message_size() const { return max_message_size_; }
    // Default 128 chunk stream ids in use.
    void set_max_chunk_streams(int count) { max_chunk_streams_ = count; }
    // The most bytes the messages being assembled may take together, all chunk streams
    // counted: a message's whole length is allocated with its first chunk, so without it a
    // peer sending one chunk of a 16 MiB message on each of 128 chunk streams would make us
    // hold 2 GiB. Default SRS_RTMP_DEFAULT_MAX_PARTIAL_BYTES. Lowering it below what is held
    // now fails the next message that starts, not the ones in progress.
    void set_max_partial_bytes(int64_t bytes) { max_partial_bytes_ = bytes; }
    int64_t max_partial_bytes() const { return max_partial_bytes_; }
    // Bytes allocated now for messages being assembled, and the most it ever was (the owner
    // gives memory back to the system after a connection that held much, see SrsRtmpConn).
    int64_t partial_bytes() const { return partial_bytes_; }
    int64_t peak_partial_bytes() const { return peak_partial_bytes_; }

    // The window the peer set with Window Ack Size; 0 until it does (no acks sent).
    uint32_t in_ack_window() const { return in_ack_window_; }
    // The window we told the peer; 0 until send_window_ack_size.
    uint32_t out_ack_window() const { return out_ack_window_; }
    // The sequence number of the last Acknowledgement the peer sent.
    uint32_t peer_ack_sequence() const { return peer_ack_sequence_; }

private:
    struct ChunkStream;

    srs_error_t recv_chunk(SrsMediaMessage* msg, bool* got);
    srs_error_t read_chunk_header();
    srs_error_t start_chunk(ChunkStream* cs, int csid);
    srs_error_t read_payload(ChunkStream* cs);
    srs_error_t find_chunk_stream(int csid, ChunkStream** out);
    srs_error_t on_recv_message(const SrsMediaMessage& msg);
    srs_error_t check_acknowledgement();

    // Read buffer: [rpos_, wpos_) holds bytes read from io but not yet parsed.
    srs_error_t ensure(int n);
    srs_error_t fill();

    srs_error_t send_control(uint8_t type, const char* payload, int size);
    srs_error_t do_send_messages(const SrsMediaMessage* msgs, int count);
    srs_error_t flush_iovs();
    void grow_header_buffer();
    void release_send_buffers();
    srs_error_t acquire_sender();
    void release_sender();

private:
    ISrsProtocolReadWriter* io_;

    std::vector<char> rbuf_;
    int rpos_ = 0;
    int wpos_ = 0;
    // Set when a read filled the buffer: the peer sends fast, so the buffer grows (to 16 KiB:
    // players stay at 1 KiB, and 1000 publishers at 64 KiB each held 64 MiB for a few fewer
    // reads; payload runs of 16 KiB and more are read straight into the message anyway).
    bool rbuf_grow_ = false;

    int in_chunk_size_;
    int out_chunk_size_;
    int max_message_size_;
    int max_chunk_streams_;
    int64_t max_partial_bytes_;
    int64_t partial_bytes_ = 0;
    int64_t peak_partial_bytes_ = 0;
    // Chunk streams by id: ids below 64 (what encoders use) in an array, the rest in a map.
    std::vector<std::unique_ptr<ChunkStream>> fast_streams_;
    std::unordered_map<int, std::unique_ptr<ChunkStream>> other_streams_;
    int nb_streams_ = 0;
    // The chunk whose payload is being read; null between chunks.
    ChunkStream* chunk_cs_ = nullptr;
    int chunk_csid_ = 0;
    int chunk_left_ = 0;

    uint32_t in_ack_window_ = 0;
    int64_t last_ack_bytes_ = 0;
    uint32_t out_ack_window_ = 0;
    uint32_t peer_ack_sequence_ = 0;
    int peer_bandwidth_type_ = -1;

    // Send side: header bytes of the batch being sent, and iovecs into them and the payloads;
    // allocated for a batch and released after it (see do_send_messages).
    std::unique_ptr<char[]> hbuf_;
    int hcap_ = 0;
    int hpos_ = 0;
    std::vector<iovec> iovs_;
    struct SendBuffersRelease {
        explicit SendBuffersRelease(SrsRtmpProtocol* p) : p_(p) {}
        ~SendBuffersRelease() { p_->release_send_buffers(); }
        SrsRtmpProtocol* p_;
    };
    // True while a coroutine writes; another one waits on send_cond_, made on first contention
    // (so code running without coroutines, like the fuzzers, never touches ST).
    bool sending_ = false;
    std::unique_ptr<SrsCond> send_cond_;
};

// The default of SrsRtmpProtocol::set_max_partial_bytes: 16 MiB, so that one message of the
// largest length a chunk header can carry (16 MiB - 1) always fits.
#define SRS_RTMP_DEFAULT_MAX_PARTIAL_BYTES (16 * 1024 * 1024)

// The in/out buffer sizes, exposed for tests.
#define SRS_RTMP_READ_BUFFER_INITIAL 1024
#define SRS_RTMP_READ_BUFFER_MAX 16384

// Decodes a User Control message payload (RTMP spec 7.1.7): event type and data, and extra
// for Set Buffer Length.
srs_error_t srs_rtmp_decode_user_control(const SrsMediaMessage& msg, int* event, uint32_t* data, uint32_t* extra);
