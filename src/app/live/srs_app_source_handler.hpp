// The interfaces through which features (HLS, DVR, forward, HTTP remux, stats, hooks)
// follow a live stream, in the manner of nginx-rtmp modules: the hub calls them at each
// stream event and knows nothing about what they do.
#pragma once

#include <srs_core.hpp>
#include <srs_core_error.hpp>
#include <srs_kernel_message.hpp>

#include <memory>

class SrsLiveSource;
class SrsRequest;

// Follows one live source. Created per source by a factory, owned by the source, called
// in registration order. A handler handles its own recoverable errors (log, disable
// itself); it returns an error only when the publish must stop (for example an on_publish
// hook that denies the stream). Media callbacks run after every player got the message.
class ISrsLiveSourceHandler {
public:
    virtual ~ISrsLiveSourceHandler() = default;

public:
    // A publisher started; an error refuses the publish.
    virtual srs_error_t on_publish() { return srs_success; }
    // The publisher left (also a kicked or dropped one).
    virtual void on_unpublish() {}
    // Audio, video and script data (onMetaData) as the publisher sent them, sequence
    // headers included. The message may be kept (it is shared and immutable).
    virtual srs_error_t on_audio(const SrsMediaMessage& /*msg*/) { return srs_success; }
    virtual srs_error_t on_video(const SrsMediaMessage& /*msg*/) { return srs_success; }
    virtual srs_error_t on_meta_data(const SrsMediaMessage& /*msg*/) { return srs_success; }
    // A player attached (a consumer was created), whether anyone publishes or not: an edge
    // starts pulling the stream from its origin here. Must not block.
    virtual void on_player() {}
};

// Creates the handler of a feature for a new source, or none when the feature is off for
// the source's vhost. Registered with SrsLiveSourceManager by the server at start; must
// outlive the manager.
class ISrsLiveSourceHandlerFactory {
public:
    virtual ~ISrsLiveSourceHandlerFactory() = default;
    // The source is fully constructed (url, vhost, app, stream are set). Returning null
    // means no handler for this source.
    virtual std::unique_ptr<ISrsLiveSourceHandler> create_handler(SrsLiveSource* source) = 0;
};

// The connection that publishes to a source, so the source can force it off when a new
// publisher takes over a stale stream.
class ISrsLivePublisher {
public:
    virtual ~ISrsLivePublisher() = default;
    // The source has unpublished this publisher (stale takeover or an API kick): stop
    // reading and close. Must not block; typically interrupts the connection's coroutine.
    virtual void on_publish_kicked() = 0;
    // The request the publisher connected and published with (tcUrl, param, connect args), for
    // the features that look at it (forward: its loop guard); null when there is none.
    virtual const SrsRequest* publish_request() const { return nullptr; }
};
