// The Prometheus exporter (exporter { enabled on; listen 9972; label ...; tag ...; }): a
// text endpoint /metrics with SRS's srs_-prefixed metrics, in the exposition format 0.0.4
// (https://prometheus.io/docs/instrumenting/exposition_formats/).
#pragma once

#include <srs_app_statistic.hpp>
#include <srs_app_sysinfo.hpp>
#include <srs_protocol_http_mux.hpp>

#include <memory>
#include <string>

class SrsConfig;

// The exporter section of the config.
struct SrsExporterOptions {
    bool enabled = false;
    std::string label;
    std::string tag;
};

// The options from a config snapshot (exporter section).
SrsExporterOptions srs_exporter_options(const SrsConfig& conf);

// Escapes a label value: backslash, double quote and newline (exposition format).
std::string srs_prometheus_escape(const std::string& v);

// The whole /metrics text from the statistics and the system info.
std::string srs_exporter_metrics(const SrsStatistic& stat, const SrsSystemInfo& sys, const SrsExporterOptions& o);

// Serves GET /metrics.
class SrsExporterHandler : public ISrsHttpHandler {
public:
    SrsExporterHandler(SrsStatistic* stat, SrsSystemInfo* sys) : stat_(stat), sys_(sys) {}
    void set_options(const SrsExporterOptions& o) { options_ = o; }
    srs_error_t serve_http(ISrsHttpResponseWriter* w, SrsHttpMessage* r) override;

private:
    SrsStatistic* stat_;
    SrsSystemInfo* sys_;
    SrsExporterOptions options_;
};

// The exporter's routes, owned by the server; exporter connections serve handler().
class SrsExporter {
public:
    SrsExporter(SrsStatistic* stat, SrsSystemInfo* sys);
    SRS_DISALLOW_COPY(SrsExporter);

public:
    srs_error_t initialize();
    void set_options(const SrsExporterOptions& o) { metrics_->set_options(o); }
    ISrsHttpHandler* handler() { return mux_.get(); }

private:
    std::shared_ptr<SrsExporterHandler> metrics_;
    std::shared_ptr<SrsHttpServeMux> mux_;
};
