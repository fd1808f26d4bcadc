// Paths of the files a server records (HLS playlists and segments, DVR files): the templates
// their names are made from, and the directories they go in.
#pragma once

#include <srs_core.hpp>
#include <srs_core_error.hpp>
#include <srs_core_time.hpp>

#include <string>

// The values of the variables of a file path template (hls_m3u8_file, hls_ts_file, dvr_path).
struct SrsPathTemplateValues {
    std::string vhost;
    std::string app;
    std::string stream;
    int64_t seq = 0;
    // Wall clock (since the epoch) for [timestamp] and the date variables (local time).
    srs_utime_t wall = 0;
    // [timestamp] is the fragment counter floor_piece instead of milliseconds (hls_ts_floor).
    bool ts_floor = false;
    int64_t floor_piece = 0;
    // [duration] in milliseconds; negative leaves [duration] in place (not known yet).
    int64_t duration_ms = -1;
};

// Expands [vhost] [app] [stream] [seq] [timestamp] [duration] and the date variables
// [2006] (year) [01] (month) [02] (day) [15] (hour) [04] (minute) [05] (second) [999] (ms).
std::string srs_path_template_expand(const std::string& tmpl, const SrsPathTemplateValues& v);
// The directory part of a path ("a/b/c.ts" -> "a/b"), empty when there is none.
std::string srs_path_dirname(const std::string& path);
// mkdir -p (HLS and DVR files); an empty path is the current directory. Fails when a part is
// not a directory.
srs_error_t srs_path_mkdir_all(const std::string& dir);
// A relative path made canonical: no "./" parts, no empty parts, no leading "/"; ".." kept
// only where it cannot be resolved.
std::string srs_path_clean(const std::string& path);
// A template expanded for a file named after a sequence number: when the template has no [seq],
// "-<seq>" goes before the extension, so files of several sequences never overwrite each other
// ("live/s/init.mp4" -> "live/s/init-5.mp4").
std::string srs_path_template_expand_seq(const std::string& tmpl, const SrsPathTemplateValues& v);
// The relative URI of target as seen from the directory of base (both relative to one root).
std::string srs_path_relative_uri(const std::string& base, const std::string& target);
