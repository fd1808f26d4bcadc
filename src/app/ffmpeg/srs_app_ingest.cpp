#include <srs_app_ingest.hpp>

#include <srs_app_config.hpp>
#include <srs_app_ffmpeg_args.hpp>
#include <srs_app_ffmpeg_process.hpp>
#include <srs_core_log.hpp>
#include <srs_core_utility.hpp>

std::vector<SrsIngestJob> srs_ingest_jobs(const SrsConfig& conf) {
    std::vector<SrsIngestJob> jobs;
    if (!conf.root()) {
        return jobs;
    }
    int port = srs_ffmpeg_rtmp_port(conf);
    std::string log_dir = conf.get(srs_key::ff_log_dir);
    std::string log_level = conf.get(srs_key::ff_log_level);
    for (const std::string& vhost : conf.vhosts()) {
        const SrsConfDirective* v = conf.root()->get("vhost", vhost);
        if (!v || !conf.vhost_enabled(vhost)) {
            continue;
        }
        for (const SrsConfDirective* ing : v->get_all("ingest")) {
            if (!conf.block(ing, srs_key::vhost_ingest_enabled)) {
                continue;
            }
            std::string id = ing->arg0();
            std::string where = vhost + "/" + id;
            const SrsConfDirective* input = ing->get("input");
            std::string type = input ? conf.block(input, srs_key::vhost_ingest_input_type) : "file";
            std::string url = input ? conf.block(input, srs_key::vhost_ingest_input_url) : "";
            if (url.empty()) {
                srs_warn("ingest %s: no input url, skipped", where.c_str());
                continue;
            }
            std::string configured = conf.block(ing, srs_key::vhost_ingest_ffmpeg);
            bool fallback = false;
            std::string ffmpeg = srs_resolve_program(configured, &fallback);
            if (ffmpeg.empty()) {
                srs_error("ingest %s: ffmpeg %s not found (nor ffmpeg in PATH), skipped", where.c_str(),
                          configured.c_str());
                continue;
            }
            if (fallback) {
                srs_trace("ingest %s: %s does not exist, using %s", where.c_str(), configured.c_str(), ffmpeg.c_str());
            }
            std::vector<const SrsConfDirective*> engines = ing->get_all("engine");
            if (engines.empty()) {
                srs_warn("ingest %s: no engine (and so no output), skipped", where.c_str());
            }
            for (size_t i = 0; i < engines.size(); i++) {
                SrsFfmpegEngine e = srs_ffmpeg_engine_load(conf, engines[i], srs_engine_keys::ingest);
                std::string engine = e.name.empty() ? srs_fmt("engine%d", (int)i) : e.name;
                if (e.output.empty()) {
                    srs_warn("ingest %s engine %s: no output, skipped", where.c_str(), engine.c_str());
                    continue;
                }
                SrsFfmpegVars vars = {{"[vhost]", vhost},   {"[port]", std::to_string(port)},
                                      {"[app]", "live"},    {"[stream]", id},
                                      {"[engine]", e.name}, {"[param]", ""}};
                std::string output = srs_ffmpeg_substitute(e.output, vars);
                SrsIngestJob job;
                job.name = "ingest/" + where + "/" + engine;
                job.output = output;
                if (e.enabled) {
                    job.argv = srs_ffmpeg_engine_argv(ffmpeg, log_level, e, e.iformat_set, url, output);
                } else {
                    job.argv = srs_ffmpeg_copy_argv(ffmpeg, log_level, e.perfile, url, e.oformat, output);
                }
                srs_ffmpeg_insert_before_input(&job.argv, srs_ffmpeg_ingest_input_options(type));
                job.log_file = srs_ffmpeg_log_file(log_dir, "ingest", {vhost, id, engine});
                jobs.push_back(std::move(job));
            }
        }
    }
    return jobs;
}

SrsIngestServer::SrsIngestServer(SrsProcessSupervisor* supervisor) : children_(supervisor) {}

SrsIngestServer::~SrsIngestServer() {
    stop_all();
}

int SrsIngestServer::apply(const SrsConfig& conf) {
    std::vector<SrsChildSpec> specs;
    for (SrsIngestJob& job : srs_ingest_jobs(conf)) {
        SrsChildSpec spec;
        spec.kind = "ingest";
        spec.name = job.name;
        spec.stream = job.output;
        spec.argv = std::move(job.argv);
        spec.log_file = job.log_file;
        spec.restart_on_success = true;
        // Its own context id: every log of this ingest (starts, deaths, restarts) carries it.
        spec.cid = srs_context_generate();
        specs.push_back(std::move(spec));
    }
    return children_.apply(std::move(specs));
}

int SrsIngestServer::stop_all() {
    return children_.stop_all();
}
