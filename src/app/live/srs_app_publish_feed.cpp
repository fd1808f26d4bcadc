#include <srs_app_publish_feed.hpp>

#include <srs_app_source.hpp>
#include <srs_kernel_message.hpp>

SrsPublishFeed::SrsPublishFeed(SrsLiveSource* source) : source_(source) {}

bool SrsPublishFeed::takes(uint8_t type) {
    switch (type) {
        case SrsMsgAudio:
        case SrsMsgVideo:
        case SrsMsgAggregate:
        case SrsMsgAMF0Data:
        case SrsMsgAMF3Data:
            return true;
        default:
            return false;
    }
}

srs_error_t SrsPublishFeed::feed(const SrsMediaMessage& msg) {
    switch (msg.type) {
        case SrsMsgAudio:
            return source_->on_audio(msg);
        case SrsMsgVideo:
            return source_->on_video(msg);
        case SrsMsgAggregate:
            return source_->on_aggregate(msg);
        case SrsMsgAMF0Data:
        case SrsMsgAMF3Data:
            return feed_data(msg);
        default:
            return srs_success;
    }
}

srs_error_t SrsPublishFeed::feed_data(const SrsMediaMessage& msg) {
    srs_error_t err = srs_success;
    std::unique_ptr<SrsPacket> pkt;
    if ((err = decoder_.decode(msg, &pkt)) != srs_success) {
        return srs_error_wrap(err, "decode");
    }
    SrsOnMetaDataPacket* meta = dynamic_cast<SrsOnMetaDataPacket*>(pkt.get());
    if (!meta) {
        return srs_success;
    }
    // Players get a plain onMetaData, never the encoder's @setDataFrame wrapping.
    SrsMediaMessage out;
    if ((err = meta->to_on_metadata(msg.stream_id, msg.timestamp, &out)) != srs_success) {
        return err;
    }
    return source_->on_meta_data(out);
}
