#include <srs_app_statistic_source.hpp>

#include <srs_app_source.hpp>
#include <srs_core_log.hpp>
#include <srs_kernel_codec.hpp>

SrsStatisticSourceHandler::SrsStatisticSourceHandler(SrsStatistic* stat, SrsLiveSource* source)
    : stat_(stat), source_(source) {
    req_.vhost = source->vhost();
    req_.app = source->app();
    req_.stream = source->stream();
}

SrsStatisticSourceHandler::~SrsStatisticSourceHandler() = default;

srs_error_t SrsStatisticSourceHandler::on_publish() {
    stat_->on_stream_publish(req_, srs_context_get());
    last_flush_ = srs_get_system_time();
    // A republish reports its codecs afresh.
    video_codec_ = audio_codec_ = -1;
    return srs_success;
}

void SrsStatisticSourceHandler::on_unpublish() {
    flush(true);
    stat_->on_stream_close(req_);
}

srs_error_t SrsStatisticSourceHandler::on_audio(const SrsMediaMessage& /*msg*/) {
    audio_frames_++;
    flush(false);
    return srs_success;
}

srs_error_t SrsStatisticSourceHandler::on_video(const SrsMediaMessage& /*msg*/) {
    video_frames_++;
    flush(false);
    return srs_success;
}

void SrsStatisticSourceHandler::update_codecs() {
    const SrsLiveCodecInfo& c = source_->codec_info();
    if (c.video_codec_id && (c.video_codec_id != video_codec_ || c.video_profile != video_profile_ ||
                             c.video_level != video_level_ || c.width != width_ || c.height != height_)) {
        video_codec_ = c.video_codec_id;
        video_profile_ = c.video_profile;
        video_level_ = c.video_level;
        width_ = c.width;
        height_ = c.height;
        SrsStatisticVideo v;
        v.codec = srs_video_codec_id2str((SrsVideoCodecId)c.video_codec_id);
        v.profile = srs_video_profile2str((SrsVideoCodecId)c.video_codec_id, c.video_profile);
        v.level = srs_video_level2str((SrsVideoCodecId)c.video_codec_id, c.video_level);
        v.width = c.width;
        v.height = c.height;
        stat_->on_video_info(req_, v);
    }
    if (c.audio_codec_id && (c.audio_codec_id != audio_codec_ || c.aac_object != aac_object_ ||
                             c.sample_rate != sample_rate_ || c.channels != channels_)) {
        audio_codec_ = c.audio_codec_id;
        aac_object_ = c.aac_object;
        sample_rate_ = c.sample_rate;
        channels_ = c.channels;
        SrsStatisticAudio a;
        a.codec = srs_audio_codec_id2str((SrsAudioCodecId)c.audio_codec_id);
        a.sample_rate = c.sample_rate;
        a.channels = c.channels;
        a.profile = c.audio_codec_id == 10 ? srs_aac_object2str((SrsAacObjectType)c.aac_object) : "Other";
        stat_->on_audio_info(req_, a);
    }
}

void SrsStatisticSourceHandler::flush(bool force) {
    // The cached clock: no syscall per message.
    srs_utime_t now = srs_get_system_time();
    if (!force && now - last_flush_ < SRS_UTIME_SECONDS) {
        return;
    }
    last_flush_ = now;
    update_codecs();
    if (video_frames_) {
        stat_->on_video_frames(req_, video_frames_);
        video_frames_ = 0;
    }
    if (audio_frames_) {
        stat_->on_audio_frames(req_, audio_frames_);
        audio_frames_ = 0;
    }
}

std::unique_ptr<ISrsLiveSourceHandler> SrsStatisticSourceFactory::create_handler(SrsLiveSource* source) {
    return std::make_unique<SrsStatisticSourceHandler>(stat_, source);
}
