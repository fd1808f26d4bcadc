// The rows of vhost.dash, SRS's MPEG-DASH directives (names and defaults as SRS's full.conf has
// them), kept beside the table in their own file.
#include <srs_app_config_table.hpp>

#include <srs_app_config_keys.hpp>

void srs_config_table_add_dash(std::vector<SrsConfSpec>& t) {
    namespace K = srs_key;
    using M = SrsReloadMode;
    auto add = [&t](SrsConfSpec s) { t.push_back(std::move(s)); };

    add(SrsConfSpec(K::vhost_dash)
            .reload(M::NextKeyframe,
                    "A publishing stream's DASH stops (enabled off) or restarts with the new settings from its next "
                    "keyframe, in a new Period with new init segments; decode times carry on.")
            .doc("MPEG-DASH live (ISO/IEC 23009-1 live profile): fragmented MP4 segments, one init segment per "
                 "track, and a dynamic MPD per stream."));
    add(SrsConfSpec(K::vhost_dash_enabled, "off").reload().doc("Whether DASH is written for published streams."));
    add(SrsConfSpec(K::vhost_dash_dash_fragment, "30")
            .at_least(0.1)
            .reload()
            .doc("The target duration of a segment; a segment ends at the first video keyframe after it."));
    add(SrsConfSpec(K::vhost_dash_dash_update_period, "150")
            .at_least(0.1)
            .reload()
            .doc("The MPD's minimumUpdatePeriod: how often players fetch the MPD again (the MPD itself is rewritten "
                 "at each segment); at most dash_fragment, as SegmentTimeline players learn new segments only "
                 "then."));
    add(SrsConfSpec(K::vhost_dash_dash_timeshift, "300")
            .at_least(0)
            .reload()
            .doc("The MPD's timeShiftBufferDepth: how far behind the live edge a player may play; segments stay on "
                 "disk at least this long."));
    add(SrsConfSpec(K::vhost_dash_dash_path, "./objs/nginx/html")
            .reload()
            .doc("The directory the MPD and the segments are written under."));
    add(SrsConfSpec(K::vhost_dash_dash_mpd_file, "[app]/[stream].mpd")
            .reload()
            .doc("The MPD file below dash_path; [vhost] [app] [stream]. The init and media segments go in the "
                 "directory of the same name without .mpd (live/livestream/)."));
    add(SrsConfSpec(K::vhost_dash_dash_window_size, "5")
            .range(1, 1000)
            .reload()
            .doc("How many segments of each track the MPD lists."));
    add(SrsConfSpec(K::vhost_dash_dash_cleanup, "on")
            .reload()
            .doc("Whether segments that left the window (and the time shift buffer) are deleted."));
    add(SrsConfSpec(K::vhost_dash_dash_dispose, "120")
            .reload()
            .doc("Delete all DASH files of a stream unpublished for this long; 0 never."));
    add(SrsConfSpec(K::vhost_dash_dash_storage, "disk")
            .one_of({"ram", "disk", "both"})
            .reload()
            .doc("Where DASH lives: disk (files under dash_path), ram (served from memory by the HTTP server, "
                 "whose root is then taken as dash_path) or both; as hls_storage."));
}
