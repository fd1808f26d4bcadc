// The statistics' module on the live source hub (nginx-rtmp style): follows each source's
// publish, unpublish, codecs and frames and reports them to SrsStatistic. Clients (who
// publishes or plays, their bytes) are reported by the connections themselves.
#pragma once

#include <srs_app_source_handler.hpp>
#include <srs_app_statistic.hpp>

class SrsLiveSource;

// Follows one source. Frames are counted locally and handed to the statistics at most once
// a second, so a message costs two integer operations.
class SrsStatisticSourceHandler : public ISrsLiveSourceHandler {
public:
    SrsStatisticSourceHandler(SrsStatistic* stat, SrsLiveSource* source);
    ~SrsStatisticSourceHandler() override;

public:
    // Runs in the publisher's coroutine: its context id is the stream's publisher cid.
    srs_error_t on_publish() override;
    void on_unpublish() override;
    srs_error_t on_audio(const SrsMediaMessage& msg) override;
    srs_error_t on_video(const SrsMediaMessage& msg) override;

private:
    void update_codecs();
    void flush(bool force);

private:
    SrsStatistic* stat_;
    SrsLiveSource* source_;
    SrsStatisticRequest req_;
    int64_t video_frames_ = 0;
    int64_t audio_frames_ = 0;
    srs_utime_t last_flush_ = 0;
    // The codec facts last reported, to report again only on a change.
    int video_codec_ = -1;
    int video_profile_ = -1;
    int video_level_ = -1;
    int width_ = -1;
    int height_ = -1;
    int audio_codec_ = -1;
    int aac_object_ = -1;
    int sample_rate_ = -1;
    int channels_ = -1;
};

// Creates the statistics handler of every source; registered with the source manager.
class SrsStatisticSourceFactory : public ISrsLiveSourceHandlerFactory {
public:
    explicit SrsStatisticSourceFactory(SrsStatistic* stat) : stat_(stat) {}
    std::unique_ptr<ISrsLiveSourceHandler> create_handler(SrsLiveSource* source) override;

private:
    SrsStatistic* stat_;
};
