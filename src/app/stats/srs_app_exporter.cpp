#include <srs_app_exporter.hpp>

#include <srs_app_config.hpp>
#include <srs_core.hpp>

#include <sys/utsname.h>

#include <sstream>

SrsExporterOptions srs_exporter_options(const SrsConfig& conf) {
    SrsExporterOptions o;
    o.enabled = conf.get(srs_key::exporter_enabled);
    o.label = conf.get(srs_key::exporter_label);
    o.tag = conf.get(srs_key::exporter_tag);
    return o;
}

std::string srs_prometheus_escape(const std::string& v) {
    std::string out;
    for (char c : v) {
        if (c == '\\') {
            out += "\\\\";
        } else if (c == '"') {
            out += "\\\"";
        } else if (c == '\n') {
            out += "\\n";
        } else {
            out.push_back(c);
        }
    }
    return out;
}

namespace {

void srs_metric_head(std::stringstream& ss, const char* name, const char* type, const char* help) {
    ss << "# HELP " << name << " " << help << "\n"
       << "# TYPE " << name << " " << type << "\n";
}

}  // namespace

std::string srs_exporter_metrics(const SrsStatistic& stat, const SrsSystemInfo& sys, const SrsExporterOptions& o) {
    std::stringstream ss;

    utsname u;
    if (uname(&u) == 0) {
        srs_metric_head(ss, "srs_node_uname_info", "gauge",
                        "Labeled system information as provided by the uname system call.");
        ss << "srs_node_uname_info{sysname=\"" << srs_prometheus_escape(u.sysname) << "\",nodename=\""
           << srs_prometheus_escape(u.nodename) << "\",release=\"" << srs_prometheus_escape(u.release)
           << "\",version=\"" << srs_prometheus_escape(u.version) << "\",machine=\"" << srs_prometheus_escape(u.machine)
           << "\"} 1\n";
    }

    srs_metric_head(ss, "srs_build_info", "gauge",
                    "A metric with a constant '1' value labeled by build_date, version from which SRS was built.");
    ss << "srs_build_info{server=\"" << srs_prometheus_escape(stat.server_id()) << "\",service=\""
       << srs_prometheus_escape(stat.service_id()) << "\",pid=\"" << stat.service_pid() << "\",build_date=\""
       << __DATE__ << "\",major=\"" << SRS_VERSION_MAJOR << "\",version=\"" << SRS_VERSION_STRING << "\",code=\""
       << SRS_SERVER_NAME << "\"";
    if (!o.label.empty()) {
        ss << ",label=\"" << srs_prometheus_escape(o.label) << "\"";
    }
    if (!o.tag.empty()) {
        ss << ",tag=\"" << srs_prometheus_escape(o.tag) << "\"";
    }
    ss << "} 1\n";

    srs_metric_head(ss, "srs_cpu_percent", "gauge", "SRS cpu used percent.");
    ss << "srs_cpu_percent " << sys.self().percent * 100 << "\n";

    // Resident memory in KiB, as SRS reports it.
    srs_metric_head(ss, "srs_memory", "gauge", "SRS memory used.");
    ss << "srs_memory " << sys.self_rss_kbyte() << "\n";

    SrsStatisticMetrics m = stat.metrics();
    srs_metric_head(ss, "srs_send_bytes_total", "counter", "SRS total sent bytes.");
    ss << "srs_send_bytes_total " << m.send_bytes << "\n";
    srs_metric_head(ss, "srs_receive_bytes_total", "counter", "SRS total received bytes.");
    ss << "srs_receive_bytes_total " << m.recv_bytes << "\n";
    srs_metric_head(ss, "srs_streams", "gauge", "The number of SRS concurrent streams.");
    ss << "srs_streams " << m.nb_streams << "\n";
    srs_metric_head(ss, "srs_clients", "gauge", "The number of SRS concurrent clients.");
    ss << "srs_clients " << m.nb_clients << "\n";
    srs_metric_head(ss, "srs_clients_total", "counter", "The total counts of SRS clients.");
    ss << "srs_clients_total " << m.total_clients << "\n";
    srs_metric_head(ss, "srs_clients_errs_total", "counter", "The total errors of SRS clients.");
    ss << "srs_clients_errs_total " << m.nb_errors << "\n";
    return ss.str();
}

srs_error_t SrsExporterHandler::serve_http(ISrsHttpResponseWriter* w, SrsHttpMessage* r) {
    if (!r->is_get() && !r->is_head()) {
        w->header()->set("Allow", "GET, HEAD");
        return srs_http_write_error(w, 405);
    }
    if (!options_.enabled) {
        return srs_http_write_error(w, 404);
    }
    return srs_http_write_response(w, 200, "text/plain; version=0.0.4; charset=utf-8",
                                   srs_exporter_metrics(*stat_, *sys_, options_));
}

SrsExporter::SrsExporter(SrsStatistic* stat, SrsSystemInfo* sys)
    : metrics_(std::make_shared<SrsExporterHandler>(stat, sys)), mux_(std::make_shared<SrsHttpServeMux>()) {}

srs_error_t SrsExporter::initialize() {
    srs_error_t err = mux_->handle("/metrics", metrics_);
    if (err != srs_success) {
        return srs_error_wrap(err, "exporter handle /metrics");
    }
    return srs_success;
}
