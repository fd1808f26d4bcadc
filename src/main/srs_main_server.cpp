// The srs binary: parses flags, loads the config, daemonizes when asked and runs the server.
#include <srs_app_config.hpp>
#include <srs_app_process.hpp>
#include <srs_app_server.hpp>
#include <srs_core_error.hpp>
#include <srs_core_log.hpp>
#include <srs_core_st.hpp>

#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <string>

namespace {

void srs_usage(const char* name) {
    fprintf(stderr,
            "Usage: %s [-h] [-v] [-t] -c <filename>\n"
            "Options:\n"
            "   -h, --help      : Show this help and exit.\n"
            "   -v, -V          : Show the version and exit.\n"
            "   -t              : Test the config file (syntax and values), then exit 0 when valid, 1 when not.\n"
            "   -c <filename>   : Use this config file (nginx-style, like SRS).\n"
            "Example:\n"
            "   %s -c conf/srs.conf\n"
            "   %s -t -c conf/srs.conf\n",
            name, name, name);
}

struct SrsOptions {
    std::string config;
    bool test = false;
};

// Returns -1 to continue, else the exit code.
int srs_parse_options(int argc, char** argv, SrsOptions* opts) {
    for (int i = 1; i < argc; i++) {
        std::string a = argv[i];
        if (a == "-h" || a == "--help") {
            srs_usage(argv[0]);
            return 0;
        } else if (a == "-v" || a == "-V" || a == "--version") {
            printf("%s\n", SRS_VERSION_STRING);
            return 0;
        } else if (a == "-t") {
            opts->test = true;
        } else if (a == "-c" && i + 1 < argc) {
            opts->config = argv[++i];
        } else {
            fprintf(stderr, "%s: unknown or incomplete option '%s'\n", argv[0], a.c_str());
            srs_usage(argv[0]);
            return 1;
        }
    }
    if (opts->config.empty()) {
        fprintf(stderr, "%s: no config file, use -c <filename>\n", argv[0]);
        srs_usage(argv[0]);
        return 1;
    }
    return -1;
}

srs_error_t srs_run_server(std::shared_ptr<SrsConfig> conf, int ready_fd) {
    srs_error_t err = srs_st_init();
    if (err) {
        return srs_error_wrap(err, "st init");
    }
    srs_trace("st_init success, use %s", srs_st_eventsys_name());

    SrsServer server(conf);
    if ((err = server.initialize()) != srs_success) {
        return srs_error_wrap(err, "initialize server");
    }
    srs_daemon_ready(ready_fd, true);
    return server.run();
}

}  // namespace

int main(int argc, char** argv) {
    SrsOptions opts;
    int code = srs_parse_options(argc, argv, &opts);
    if (code >= 0) {
        return code;
    }

    std::shared_ptr<SrsConfig> conf;
    srs_error_t err = SrsConfig::load_file(opts.config, &conf);
    if (opts.test) {
        if (err) {
            fprintf(stderr, "the config file %s test failed: %s\n", opts.config.c_str(),
                    srs_error_summary(err).c_str());
            return 1;
        }
        for (const std::string& w : conf->warnings()) {
            fprintf(stderr, "warning: %s\n", w.c_str());
        }
        fprintf(stderr, "the config file %s syntax is ok\nconfig file %s test is successful\n", opts.config.c_str(),
                opts.config.c_str());
        return 0;
    }
    if (err) {
        fprintf(stderr, "load config %s failed: %s\n", opts.config.c_str(), srs_error_desc(err).c_str());
        return 1;
    }

    std::string tank = conf->get(srs_key::srs_log_tank);
    srs_logger().configure(srs_log_level_parse(conf->get(srs_key::srs_log_level)),
                           tank == "file" ? conf->get(srs_key::srs_log_file) : "");
    srs_context_set(srs_context_generate());
    srs_trace("%s, config %s, pid %d", SRS_SERVER_SIGNATURE, opts.config.c_str(), getpid());

    int ready_fd = -1;
    if (conf->get(srs_key::daemon)) {
        // Refuse before forking, so the error reaches the terminal.
        std::string pid = conf->get(srs_key::pid);
        if (!pid.empty() && (err = SrsPidFile::check(pid)) != srs_success) {
            fprintf(stderr, "%s\n", srs_error_summary(err).c_str());
            return 1;
        }
        if ((err = srs_daemonize(&ready_fd)) != srs_success) {
            fprintf(stderr, "daemon failed: %s\n", srs_error_summary(err).c_str());
            return 1;
        }
    }

    err = srs_run_server(conf, ready_fd);
    if (err) {
        srs_error("server failed: %s", srs_error_desc(err).c_str());
        fprintf(stderr, "srs: %s\n", srs_error_summary(err).c_str());
        srs_daemon_ready(ready_fd, false);
        return 1;
    }
    return 0;
}
