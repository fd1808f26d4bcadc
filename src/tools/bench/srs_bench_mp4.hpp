// An MP4 file (as FFmpeg makes it) turned into the RTMP messages an enhanced RTMP encoder sends:
// each track's configuration record first, then every sample in decode order as one tag.
#pragma once

#include <srs_core_error.hpp>
#include <srs_kernel_message.hpp>

#include <string>
#include <vector>

// Whether the bytes start like an ISO BMFF file (a box of type ftyp first).
bool srs_bench_is_mp4(const std::string& head);

// Builds the messages of the MP4 in data. H.264 and AAC go out as legacy FLV tags (codec id 7,
// SoundFormat 10), which every RTMP server and player reads; HEVC, AV1, VP9 and Opus as enhanced
// tags (hvc1, av01, vp09, Opus). With tracks 1 or 2 the video goes out as Multitrack tags instead
// (ex-header, avc1 for H.264): one track with id 0, or the same video as track ids 0 and 1.
// Timestamps are the samples' dts in ms on the movie timeline (may start below 0: the caller makes
// them relative). Every payload is allocated once, here.
srs_error_t srs_bench_mp4_messages(const std::string& data, int tracks, std::vector<SrsMediaMessage>* msgs);
