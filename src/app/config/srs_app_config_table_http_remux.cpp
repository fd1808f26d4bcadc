// The rows of vhost.http_remux, SRS's HTTP live remux (FLV, TS, AAC, MP3) and the fragmented MP4
// mount, kept beside the table in their own file.
#include <srs_app_config_table.hpp>

#include <srs_app_config_keys.hpp>

void srs_config_table_add_http_remux(std::vector<SrsConfSpec>& t) {
    namespace K = srs_key;
    using M = SrsReloadMode;
    using T = SrsConfType;
    auto add = [&t](SrsConfSpec s) { t.push_back(std::move(s)); };

    add(SrsConfSpec(K::vhost_http_remux)
            .reload(M::NotUsed)
            .doc("HTTP live streaming of RTMP streams: FLV, TS, AAC, MP3 or fragmented MP4 by the mount's extension."));
    add(SrsConfSpec(K::vhost_http_remux_enabled, "off")
            .reload(M::AtOnce,
                    "Publishing streams are mounted or unmounted at once; players of a removed mount are disconnected.")
            .doc("Whether streams are mounted."));
    add(SrsConfSpec(K::vhost_http_remux_fast_cache, "0")
            .reload()
            .doc("For audio-only mounts, how much audio is cached for a fast start; 0 for none."));
    add(SrsConfSpec(K::vhost_http_remux_drop_if_not_match, "on")
            .reload()
            .doc("Whether packets of a track the FLV header says is absent are dropped."));
    add(SrsConfSpec(K::vhost_http_remux_has_audio, "on")
            .reload(M::NewClients, "Read when an HTTP player starts.")
            .doc("The FLV header's audio flag when not guessed."));
    add(SrsConfSpec(K::vhost_http_remux_has_video, "on")
            .reload(M::NewClients, "Read when an HTTP player starts.")
            .doc("The FLV header's video flag when not guessed."));
    add(SrsConfSpec(K::vhost_http_remux_guess_has_av, "on")
            .reload(M::NewClients, "Read when an HTTP player starts.")
            .doc("Whether the FLV header flags are guessed from the sequence headers and the GOP cache."));
    add(SrsConfSpec(K::vhost_http_remux_mount, "[vhost]/[app]/[stream].flv")
            .reload(M::AtOnce,
                    "Publishing streams move to the new mount at once; players of the old mount are disconnected.")
            .doc("The URL path of streams; [vhost] [app] [stream]; the extension picks flv, ts, aac, mp3 or mp4."));
    add(SrsConfSpec(K::vhost_http_remux_mp4_fragment, "0.5")
            .range(0, 60)
            .reload(M::NewClients, "Read when an HTTP-MP4 player starts.")
            .doc("For .mp4 mounts, the longest a fragment holds without a keyframe: a fragment ends before each "
                 "keyframe (one per GOP) or once it holds this much media; 0 cuts only at keyframes (one per GOP)."));
    add(SrsConfSpec("vhost.http_remux.hstrs", T::Ignored).doc("SRS 2's hstrs, always on since SRS 3; ignored."));
}
