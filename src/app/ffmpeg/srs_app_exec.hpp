// Exec (vhost `exec { enabled on; publish CMD ARGS...; }`, SRS's form of nginx-rtmp's
// exec_publish): runs each publish command when a stream is published, with the stream's
// variables substituted, and stops it at unpublish. A command that exits with 0 is done; one
// that crashes or fails is restarted with backoff while the stream is published. See doc/ffmpeg.md.
#pragma once

#include <srs_app_ffmpeg_args.hpp>
#include <srs_app_source_handler.hpp>

#include <memory>
#include <string>
#include <vector>

class SrsConfig;
class SrsLiveSource;
class SrsProcessSupervisor;
class SrsChildProcess;
class SrsStatistic;

// What the variables of a command stand for: the stream and its publisher.
struct SrsExecContext {
    std::string vhost;
    std::string app;
    std::string stream;
    int port = 1935;
    std::string host = "127.0.0.1";
    std::string tcUrl;
    std::string param;
    std::string pageUrl;
    std::string swfUrl;
    std::string ip;
};

// The variables of SRS ([vhost] [port] [app] [stream] [tcUrl] [param] [url] [pageUrl] [swfUrl]
// [ip]; [url] being the stream's RTMP URL on this server) and of nginx-rtmp ($name $app $tcurl
// $args $addr $pageurl $swfurl).
SrsFfmpegVars srs_exec_vars(const SrsExecContext& c);
// The argv of each `publish` line of the vhost's exec section (none when off): each line's
// arguments, a single argument with spaces being split like a shell would (quotes kept
// together), variables substituted, and the program resolved in PATH when it is a bare name.
std::vector<std::vector<std::string>> srs_exec_commands(const SrsConfig& conf, const SrsExecContext& c);

// Exec for all streams.
class SrsExecServer : public ISrsLiveSourceHandlerFactory {
public:
    explicit SrsExecServer(SrsProcessSupervisor* supervisor);
    ~SrsExecServer() override;
    SRS_DISALLOW_COPY(SrsExecServer);

public:
    // Read at each publish: a reload applies to the next publish.
    void set_config(std::shared_ptr<const SrsConfig> config) { config_ = std::move(config); }
    std::shared_ptr<const SrsConfig> config() const { return config_; }
    // For the publisher's tcUrl, param, pageUrl, swfUrl and ip; may be null.
    void set_stat(SrsStatistic* stat) { stat_ = stat; }
    SrsStatistic* stat() const { return stat_; }
    SrsProcessSupervisor* supervisor() const { return supervisor_; }
    std::unique_ptr<ISrsLiveSourceHandler> create_handler(SrsLiveSource* source) override;

private:
    SrsProcessSupervisor* supervisor_;
    std::shared_ptr<const SrsConfig> config_;
    SrsStatistic* stat_ = nullptr;
};

// The commands of one stream.
class SrsExecHandler : public ISrsLiveSourceHandler {
public:
    SrsExecHandler(SrsExecServer* server, const std::string& vhost, const std::string& app, const std::string& stream);
    ~SrsExecHandler() override;
    SRS_DISALLOW_COPY(SrsExecHandler);

public:
    srs_error_t on_publish() override;
    void on_unpublish() override;

private:
    void stop_all();

private:
    SrsExecServer* server_;
    std::string vhost_;
    std::string app_;
    std::string stream_;
    std::vector<std::shared_ptr<SrsChildProcess>> children_;
};
