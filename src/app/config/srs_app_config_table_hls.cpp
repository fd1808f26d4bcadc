// The rows of vhost.hls, SRS's HLS directives (names and defaults as SRS's full.conf has them,
// with SRS 7's fMP4 ones), kept beside the table in their own file.
#include <srs_app_config_table.hpp>

#include <srs_app_config_keys.hpp>

void srs_config_table_add_hls(std::vector<SrsConfSpec>& t) {
    namespace K = srs_key;
    using M = SrsReloadMode;
    auto add = [&t](SrsConfSpec s) { t.push_back(std::move(s)); };

    add(SrsConfSpec(K::vhost_hls)
            .reload(M::NextKeyframe,
                    "A publishing stream's HLS stops (enabled off) or restarts with the new settings from its next "
                    "keyframe (a new segment, discontinuous); the window and sequence numbers carry on.")
            .doc("HLS: MPEG-TS segments and an m3u8 playlist per stream."));
    add(SrsConfSpec(K::vhost_hls_enabled, "off").reload().doc("Whether HLS is written for published streams."));
    add(SrsConfSpec(K::vhost_hls_hls_fragment, "10")
            .at_least(0.1)
            .reload()
            .doc("The target duration of a segment; a segment ends at the first keyframe after it."));
    add(SrsConfSpec(K::vhost_hls_hls_td_ratio, "1.5")
            .range(1, 100)
            .reload()
            .doc("EXT-X-TARGETDURATION is first hls_td_ratio * hls_fragment."));
    add(SrsConfSpec(K::vhost_hls_hls_aof_ratio, "2.0")
            .range(1, 100)
            .reload()
            .doc("For audio only streams, a segment ends at hls_aof_ratio * hls_fragment."));
    add(SrsConfSpec(K::vhost_hls_hls_window, "60").reload().doc("The total duration of the segments in the playlist."));
    add(SrsConfSpec(K::vhost_hls_hls_on_error, "continue")
            .one_of({"ignore", "disconnect", "continue"})
            .reload()
            .doc("On an HLS error: ignore (stop HLS), disconnect (the publisher) or continue."));
    add(SrsConfSpec(K::vhost_hls_hls_path, "./objs/nginx/html")
            .reload()
            .doc("The directory segments and playlists are written under."));
    add(SrsConfSpec(K::vhost_hls_hls_m3u8_file, "[app]/[stream].m3u8")
            .reload()
            .doc("The playlist file below hls_path; [vhost] [app] [stream]. The multivariant playlist (BANDWIDTH, "
                 "CODECS, RESOLUTION) is written beside it, -master before .m3u8: [app]/[stream]-master.m3u8."));
    add(SrsConfSpec(K::vhost_hls_hls_ts_file, "[app]/[stream]-[seq].ts")
            .reload()
            .doc("The segment file below hls_path; [vhost] [app] [stream] [seq] [timestamp] [duration] and the date "
                 "ones."));
    add(SrsConfSpec(K::vhost_hls_hls_ts_floor, "off")
            .reload()
            .doc("Whether [timestamp] is floor(time/hls_fragment), for servers that must cut identical segments."));
    add(SrsConfSpec(K::vhost_hls_hls_entry_prefix)
            .reload()
            .eg("http://your-server")
            .doc("A base URL written before each segment in the playlist; relative URLs when empty."));
    add(SrsConfSpec(K::vhost_hls_hls_acodec, "aac")
            .reload()
            .doc("The audio codec assumed before the first audio: aac, mp3 or an (none)."));
    add(SrsConfSpec(K::vhost_hls_hls_vcodec, "h264")
            .reload()
            .doc("The video codec assumed before the first video: h264, h265 or vn (none)."));
    add(SrsConfSpec(K::vhost_hls_hls_cleanup, "on").reload().doc("Whether segments that left the window are deleted."));
    add(SrsConfSpec(K::vhost_hls_hls_dispose, "120")
            .reload()
            .doc("Delete all HLS files of a stream unpublished for this long; 0 never."));
    add(SrsConfSpec(K::vhost_hls_hls_wait_keyframe, "on").reload().doc("Whether segments are cut only at keyframes."));
    add(SrsConfSpec(K::vhost_hls_hls_nb_notify, "64")
            .at_least(0)
            .reload()
            .doc("The most bytes read from the on_hls_notify reply."));
    add(SrsConfSpec(K::vhost_hls_hls_keys, "off")
            .reload()
            .doc("Whether segments are AES-128 encrypted (RFC 8216 METHOD=AES-128; each segment's IV is its media "
                 "sequence number); fMP4 init segments stay clear."));
    add(SrsConfSpec(K::vhost_hls_hls_fragments_per_key, "5")
            .at_least(1)
            .reload()
            .doc("How many segments share one key; every publish starts a new key too."));
    add(SrsConfSpec(K::vhost_hls_hls_key_file, "[app]/[stream]-[seq].key")
            .reload()
            .doc("The key file below hls_key_file_path; [vhost] [app] [stream] [seq] (the first segment of the key; "
                 "added as -[seq] before the extension when absent, so a new key never overwrites one in use). "
                 "Stored as the segments are (hls_storage), deleted with the last segment using it."));
    add(SrsConfSpec(K::vhost_hls_hls_key_file_path)
            .inherits("vhost.hls.hls_path")
            .reload()
            .doc("The directory key files are written under; hls_path when absent."));
    add(SrsConfSpec(K::vhost_hls_hls_key_url)
            .reload()
            .eg("https://localhost:8080")
            .doc("A base URL of the keys in the playlist (followed by the key file); relative to the playlist when "
                 "empty."));
    add(SrsConfSpec(K::vhost_hls_hls_dts_directly, "on")
            .reload(M::NotUsed)
            .doc("Whether the FLV timestamp is used as the audio DTS as is (else derived from AAC samples)."));
    add(SrsConfSpec(K::vhost_hls_hls_ctx, "on")
            .reload(M::AtOnce,
                    "Read at each playlist request: off stops redirecting and opening sessions (open ones end at their "
                    "timeout), on opens sessions from the next playlist request.")
            .doc("Whether each HLS player gets a session (hls_ctx query) for stats and callbacks; off behind CDNs."));
    add(SrsConfSpec(K::vhost_hls_hls_ts_ctx, "on")
            .reload(M::AtOnce, "Read each time a session's playlist is served.")
            .doc("Whether segment requests carry the session too, to count HLS bandwidth."));
    add(SrsConfSpec(K::vhost_hls_hls_use_fmp4, "off")
            .reload(M::NextKeyframe,
                    "A publishing stream's HLS restarts at its next keyframe with the other kind of segments, in a new "
                    "playlist (the old window's files are deleted: one playlist cannot hold both kinds).")
            .doc("Whether segments are fragmented MP4 (CMAF: EXT-X-VERSION 7, EXT-X-MAP, .m4s; every codec of "
                 "enhanced RTMP, AV1 and VP9 too) instead of MPEG-TS (H.264/HEVC, AAC/MP3). Either way the "
                 "multivariant playlist is [stream]-master.m3u8 beside the playlist (with hls_ctx on, the playlist "
                 "URL answers a new player with it too)."));
    add(SrsConfSpec(K::vhost_hls_hls_fmp4_file, "[app]/[stream]-[seq].m4s")
            .reload()
            .doc("The fMP4 segment file below hls_path; the variables of hls_ts_file."));
    add(SrsConfSpec(K::vhost_hls_hls_init_file, "[app]/[stream]/init.mp4")
            .reload()
            .doc("The fMP4 init segment file below hls_path; [seq] is the first segment using it, added as -[seq] "
                 "before the extension when absent, so a codec change or republish never overwrites one in use."));
    add(SrsConfSpec(K::vhost_hls_hls_recover, "on")
            .reload()
            .doc("Whether a republished stream continues the sequence numbers of its playlist."));
    add(SrsConfSpec(K::vhost_hls_hls_master_m3u8_path_relative, "off")
            .reload(M::NotUsed)
            .doc("Whether the master playlist refers to the media playlist by a relative path."));
    add(SrsConfSpec(K::vhost_hls_hls_storage, "disk")
            .one_of({"ram", "disk", "both"})
            .reload()
            .doc("Where HLS lives: disk (files under hls_path), ram (served from memory only) or both."));
}
