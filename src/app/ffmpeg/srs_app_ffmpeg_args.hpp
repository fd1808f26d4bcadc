// The command lines of the ffmpeg children (transcode engines, ingests) and of exec commands,
// built from the config: pure functions, so every argv is unit-tested. See doc/ffmpeg.md.
#pragma once

#include <srs_core.hpp>

#include <string>
#include <utility>
#include <vector>

class SrsConfig;
class SrsConfDirective;
struct SrsConfEngineKeys;

// One `engine` block of a transcode or an ingest.
struct SrsFfmpegEngine {
    // The engine's name (its argument, may be empty).
    std::string name;
    bool enabled = false;
    // Options before -i (`perfile { re; }` gives -re).
    std::vector<std::string> perfile;
    // ffmpeg -f before -i; empty or "off" lets ffmpeg guess.
    std::string iformat;
    // Whether iformat was written (ingest applies only a written one: its default flv would
    // break a file of another format).
    bool iformat_set = false;
    std::vector<std::string> vfilter;
    std::string vcodec;
    int64_t vbitrate = 0;
    double vfps = 0;
    int64_t vwidth = 0;
    int64_t vheight = 0;
    int64_t vthreads = 0;
    std::string vprofile;
    std::string vpreset;
    std::vector<std::string> vparams;
    std::string acodec;
    int64_t abitrate = 0;
    int64_t asample_rate = 0;
    int64_t achannels = 0;
    std::vector<std::string> aparams;
    std::string oformat = "flv";
    std::string output;
};

// The engine block (a child of a transcode or ingest block of conf), keys being
// srs_engine_keys::transcode or srs_engine_keys::ingest for the defaults.
SrsFfmpegEngine srs_ffmpeg_engine_load(const SrsConfig& conf, const SrsConfDirective* engine,
                                       const SrsConfEngineKeys& keys);
// The options of a block written one per line, `name args;` each becoming -name args:
// `vparams { t 100; coder 1; }` gives -t 100 -coder 1.
std::vector<std::string> srs_ffmpeg_block_options(const SrsConfDirective* block);

// The variables of a template: {"[vhost]", "v"}, {"[app]", "live"}, ...
using SrsFfmpegVars = std::vector<std::pair<std::string, std::string>>;
// Replaces every variable of vars in tmpl (each occurrence, left to right, no re-expansion); a
// $variable (nginx style) only when no name character follows it.
std::string srs_ffmpeg_substitute(const std::string& tmpl, const SrsFfmpegVars& vars);

// The argv of an encoding engine: ffmpeg [-loglevel L] perfile [-f iformat] -i input vfilter
// video options (-vn, -vcodec copy, or the encoder with -b:v -r -s -profile:v -preset -threads
// vparams) audio options (-an, -acodec copy, or the encoder with -b:a -ar -ac aparams)
// [-f oformat] -y output. A missing codec is copied. use_iformat: whether to pass -f iformat.
std::vector<std::string> srs_ffmpeg_engine_argv(const std::string& ffmpeg, const std::string& log_level,
                                                const SrsFfmpegEngine& e, bool use_iformat, const std::string& input,
                                                const std::string& output);
// The argv of a copy (an ingest whose engine is off): ffmpeg [-loglevel L] perfile input_opts
// -i input -vcodec copy -acodec copy [-f oformat] -y output.
std::vector<std::string> srs_ffmpeg_copy_argv(const std::string& ffmpeg, const std::string& log_level,
                                              const std::vector<std::string>& perfile, const std::string& input,
                                              const std::string& oformat, const std::string& output);
// The options before -i of an ingest input: a file is read in real time and looped
// (-stream_loop -1 -re), a stream or device as is.
std::vector<std::string> srs_ffmpeg_ingest_input_options(const std::string& type);
// Inserts options right before the first "-i" of argv (or at the end).
void srs_ffmpeg_insert_before_input(std::vector<std::string>* argv, const std::vector<std::string>& opts);

// The log file of a child: dir/ffmpeg-KIND-PARTS.log, the parts joined by "-" and every
// character outside [A-Za-z0-9_.-] turned to "_"; empty when dir is /dev/null (discarded).
std::string srs_ffmpeg_log_file(const std::string& dir, const std::string& kind, const std::vector<std::string>& parts);
// The first RTMP listen port of the config (1935 when none parses).
int srs_ffmpeg_rtmp_port(const SrsConfig& conf);
// The loopback address a child reaches this server at: the listen ip when specific, else 127.0.0.1.
std::string srs_ffmpeg_rtmp_host(const SrsConfig& conf);
// Splits a command line of an exec directive whose arguments came as one string (quoted in the
// config): by spaces and tabs, honouring '...' and "..." quotes.
std::vector<std::string> srs_ffmpeg_split_command(const std::string& line);
