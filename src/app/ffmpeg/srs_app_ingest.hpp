// Ingest (vhost `ingest NAME { input { type; url; } ffmpeg; engine {...} }`): the server runs an
// ffmpeg per engine of each enabled ingest that pulls the input (a file looped in real time, or
// a stream URL) and publishes it to the engine's output, usually this server. A disabled engine
// copies the codecs. The children are supervised (restarted when they die) and follow reloads.
// See doc/ffmpeg.md.
#pragma once

#include <srs_app_ffmpeg_process.hpp>
#include <srs_core.hpp>

#include <map>
#include <memory>
#include <string>
#include <vector>

class SrsConfig;
class SrsProcessSupervisor;
class SrsChildProcess;

// One ffmpeg of an ingest.
struct SrsIngestJob {
    // "ingest/vhost/NAME/engine": identifies it across reloads.
    std::string name;
    std::vector<std::string> argv;
    std::string log_file;
    // The output URL (variables substituted), shown as the child's stream in the API.
    std::string output;
};

// The ffmpeg children every enabled ingest of every enabled vhost should run. In the output,
// [vhost] and [port] are this server's, [app] is "live" and [stream] the ingest's name (SRS
// substitutes only the first two). An ingest without input url or output is skipped (logged).
std::vector<SrsIngestJob> srs_ingest_jobs(const SrsConfig& conf);

// Runs the ingests of the config.
class SrsIngestServer {
public:
    explicit SrsIngestServer(SrsProcessSupervisor* supervisor);
    ~SrsIngestServer();
    SRS_DISALLOW_COPY(SrsIngestServer);

public:
    // Runs exactly the jobs of this config: starts the new, stops the removed, restarts the
    // changed, leaves the others running. At start and on every reload. Returns the changes.
    int apply(const SrsConfig& conf);
    // Stops them all.
    int stop_all();
    int nb_running() const { return children_.size(); }

private:
    SrsChildSet children_;
};
