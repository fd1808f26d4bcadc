// The live MPEG-TS of one stream for its HTTP-TS players: muxed once, as the publisher sends,
// and shared by every player (SRS muxes per player; with many players that is a copy of every
// payload byte per player).
#pragma once

#include <srs_core.hpp>
#include <srs_core_error.hpp>
#include <srs_core_io.hpp>
#include <srs_kernel_message.hpp>
#include <srs_kernel_ts.hpp>

#include <memory>
#include <string>
#include <unordered_map>

// Keeps the TS bytes of each message while any player may still send it. A message is known
// by its payload, which the source, its GOP cache and every player's queue share: an entry
// lives as long as that payload does (no copy of the stream's window is kept here). Players
// see the stream's messages in the publish order, maybe with gaps (slow-client drops), so the
// shared continuity counters only jump where a player lost data anyway; PAT/PMT precede every
// keyframe, so a player that joins at a keyframe (GOP cache) or later finds the program.
class SrsTsStreamCache : private ISrsWriter {
public:
    SrsTsStreamCache();
    SRS_DISALLOW_COPY(SrsTsStreamCache);

public:
    // Muxes the next message of the stream (publish order, sequence headers included). A frame
    // the muxer cannot take is dropped with a warning, not the stream.
    void on_message(const SrsMediaMessage& msg);
    // The TS bytes of a message muxed before; null when it produced none (sequence headers,
    // metadata, a dropped frame) or was not seen.
    std::shared_ptr<SrsSharedPayload> find(const SrsMediaMessage& msg) const;
    int nb_entries() const { return (int)entries_.size(); }

private:
    srs_error_t write(const void* buf, size_t size, ssize_t* nwrite) override;
    srs_error_t writev(const iovec* iov, int iov_size, ssize_t* nwrite) override;
    void sweep();

private:
    struct Entry {
        std::weak_ptr<SrsSharedPayload> message;
        std::shared_ptr<SrsSharedPayload> ts;
    };
    SrsTsTransmuxer muxer_;
    std::string pending_;
    std::unordered_map<const SrsSharedPayload*, Entry> entries_;
    int inserts_since_sweep_ = 0;
};
