#include <srs_app_ffmpeg_args.hpp>

#include <srs_app_config.hpp>
#include <srs_core_utility.hpp>

#include <cmath>

std::vector<std::string> srs_ffmpeg_block_options(const SrsConfDirective* block) {
    std::vector<std::string> out;
    if (!block) {
        return out;
    }
    for (const SrsConfDirective* d : block->children()) {
        if (d->name().empty()) {
            continue;
        }
        out.push_back("-" + d->name());
        for (const std::string& a : d->args()) {
            out.push_back(a);
        }
    }
    return out;
}

SrsFfmpegEngine srs_ffmpeg_engine_load(const SrsConfig& conf, const SrsConfDirective* engine,
                                       const SrsConfEngineKeys& keys) {
    SrsFfmpegEngine e;
    if (!engine) {
        return e;
    }
    e.name = engine->arg0();
    e.enabled = conf.block(engine, keys.enabled);
    e.perfile = srs_ffmpeg_block_options(engine->get("perfile"));
    e.iformat = conf.block(engine, keys.iformat);
    e.iformat_set = engine->get("iformat") != nullptr;
    e.vfilter = srs_ffmpeg_block_options(engine->get("vfilter"));
    e.vcodec = conf.block(engine, keys.vcodec);
    e.vbitrate = conf.block(engine, keys.vbitrate);
    e.vfps = conf.block(engine, keys.vfps);
    e.vwidth = conf.block(engine, keys.vwidth);
    e.vheight = conf.block(engine, keys.vheight);
    e.vthreads = conf.block(engine, keys.vthreads);
    e.vprofile = conf.block(engine, keys.vprofile);
    e.vpreset = conf.block(engine, keys.vpreset);
    e.vparams = srs_ffmpeg_block_options(engine->get("vparams"));
    e.acodec = conf.block(engine, keys.acodec);
    e.abitrate = conf.block(engine, keys.abitrate);
    e.asample_rate = conf.block(engine, keys.asample_rate);
    e.achannels = conf.block(engine, keys.achannels);
    e.aparams = srs_ffmpeg_block_options(engine->get("aparams"));
    e.oformat = conf.block(engine, keys.oformat);
    e.output = conf.block(engine, keys.output);
    return e;
}

namespace {

// nginx's $name ends at the first character that cannot be in a name ($names is not $name).
bool is_name_char(const std::string& s, size_t pos) {
    if (pos >= s.size()) {
        return false;
    }
    char c = s[pos];
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

}  // namespace

std::string srs_ffmpeg_substitute(const std::string& tmpl, const SrsFfmpegVars& vars) {
    std::string out;
    size_t i = 0;
    while (i < tmpl.size()) {
        bool matched = false;
        for (const auto& kv : vars) {
            if (!kv.first.empty() && kv.first[0] == tmpl[i] && tmpl.compare(i, kv.first.size(), kv.first) == 0 &&
                !(kv.first[0] == '$' && is_name_char(tmpl, i + kv.first.size()))) {
                out += kv.second;
                i += kv.first.size();
                matched = true;
                break;
            }
        }
        if (!matched) {
            out += tmpl[i++];
        }
    }
    return out;
}

namespace {

void append(std::vector<std::string>* argv, const std::vector<std::string>& more) {
    argv->insert(argv->end(), more.begin(), more.end());
}

// "25", "29.97": no trailing zeros, as a user would type it.
std::string number(double v) {
    if (std::floor(v) == v) {
        return srs_fmt("%lld", (long long)v);
    }
    std::string s = srs_fmt("%.3f", v);
    while (!s.empty() && s.back() == '0') {
        s.pop_back();
    }
    return s;
}

std::vector<std::string> head(const std::string& ffmpeg, const std::string& log_level,
                              const std::vector<std::string>& perfile) {
    std::vector<std::string> argv = {ffmpeg};
    if (!log_level.empty()) {
        argv.push_back("-loglevel");
        argv.push_back(log_level);
    }
    append(&argv, perfile);
    return argv;
}

void tail(std::vector<std::string>* argv, const std::string& oformat, const std::string& output) {
    if (!oformat.empty() && oformat != "off") {
        argv->push_back("-f");
        argv->push_back(oformat);
    }
    argv->push_back("-y");
    argv->push_back(output);
}

}  // namespace

std::vector<std::string> srs_ffmpeg_engine_argv(const std::string& ffmpeg, const std::string& log_level,
                                                const SrsFfmpegEngine& e, bool use_iformat, const std::string& input,
                                                const std::string& output) {
    std::vector<std::string> argv = head(ffmpeg, log_level, e.perfile);
    if (use_iformat && !e.iformat.empty() && e.iformat != "off") {
        append(&argv, {"-f", e.iformat});
    }
    append(&argv, {"-i", input});
    append(&argv, e.vfilter);

    if (e.vcodec == "vn") {
        argv.push_back("-vn");
    } else if (e.vcodec.empty() || e.vcodec == "copy") {
        append(&argv, {"-vcodec", "copy"});
    } else {
        append(&argv, {"-vcodec", e.vcodec});
        if (e.vbitrate > 0) {
            append(&argv, {"-b:v", srs_fmt("%lldk", (long long)e.vbitrate)});
        }
        if (e.vfps > 0) {
            append(&argv, {"-r", number(e.vfps)});
        }
        if (e.vwidth > 0 && e.vheight > 0) {
            append(&argv, {"-s", srs_fmt("%lldx%lld", (long long)e.vwidth, (long long)e.vheight)});
        }
        if (!e.vprofile.empty()) {
            append(&argv, {"-profile:v", e.vprofile});
        }
        if (!e.vpreset.empty()) {
            append(&argv, {"-preset", e.vpreset});
        }
        if (e.vthreads > 0) {
            append(&argv, {"-threads", srs_fmt("%lld", (long long)e.vthreads)});
        }
        append(&argv, e.vparams);
    }

    if (e.acodec == "an") {
        argv.push_back("-an");
    } else if (e.acodec.empty() || e.acodec == "copy") {
        append(&argv, {"-acodec", "copy"});
    } else {
        append(&argv, {"-acodec", e.acodec});
        if (e.abitrate > 0) {
            append(&argv, {"-b:a", srs_fmt("%lldk", (long long)e.abitrate)});
        }
        if (e.asample_rate > 0) {
            append(&argv, {"-ar", srs_fmt("%lld", (long long)e.asample_rate)});
        }
        if (e.achannels > 0) {
            append(&argv, {"-ac", srs_fmt("%lld", (long long)e.achannels)});
        }
        append(&argv, e.aparams);
    }
    tail(&argv, e.oformat, output);
    return argv;
}

std::vector<std::string> srs_ffmpeg_copy_argv(const std::string& ffmpeg, const std::string& log_level,
                                              const std::vector<std::string>& perfile, const std::string& input,
                                              const std::string& oformat, const std::string& output) {
    std::vector<std::string> argv = head(ffmpeg, log_level, perfile);
    append(&argv, {"-i", input, "-vcodec", "copy", "-acodec", "copy"});
    tail(&argv, oformat, output);
    return argv;
}

std::vector<std::string> srs_ffmpeg_ingest_input_options(const std::string& type) {
    if (type == "file") {
        return {"-stream_loop", "-1", "-re"};
    }
    return {};
}

void srs_ffmpeg_insert_before_input(std::vector<std::string>* argv, const std::vector<std::string>& opts) {
    auto it = argv->begin();
    while (it != argv->end() && *it != "-i") {
        ++it;
    }
    argv->insert(it, opts.begin(), opts.end());
}

std::string srs_ffmpeg_log_file(const std::string& dir, const std::string& kind,
                                const std::vector<std::string>& parts) {
    if (dir.empty() || dir == "/dev/null") {
        return "";
    }
    std::string name = "ffmpeg-" + kind;
    for (const std::string& p : parts) {
        if (p.empty()) {
            continue;
        }
        name += "-";
        for (char c : p) {
            bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
                      c == '.' || c == '-';
            name += ok ? c : '_';
        }
    }
    std::string d = dir;
    while (d.size() > 1 && d.back() == '/') {
        d.pop_back();
    }
    return d + "/" + name + ".log";
}

int srs_ffmpeg_rtmp_port(const SrsConfig& conf) {
    for (const std::string& ep : conf.get(srs_key::listen)) {
        std::string ip;
        int port = 0;
        if (srs_conf_parse_endpoint(ep, &ip, &port) && port > 0) {
            return port;
        }
    }
    return 1935;
}

std::string srs_ffmpeg_rtmp_host(const SrsConfig& conf) {
    for (const std::string& ep : conf.get(srs_key::listen)) {
        std::string ip;
        int port = 0;
        if (srs_conf_parse_endpoint(ep, &ip, &port) && port > 0) {
            if (ip.empty() || ip == "0.0.0.0" || ip == "::") {
                return "127.0.0.1";
            }
            return ip.find(':') != std::string::npos ? "[" + ip + "]" : ip;
        }
    }
    return "127.0.0.1";
}

std::vector<std::string> srs_ffmpeg_split_command(const std::string& line) {
    std::vector<std::string> out;
    std::string cur;
    bool in_token = false;
    char quote = 0;
    for (char c : line) {
        if (quote) {
            if (c == quote) {
                quote = 0;
            } else {
                cur += c;
            }
            continue;
        }
        if (c == '\'' || c == '"') {
            quote = c;
            in_token = true;
            continue;
        }
        if (c == ' ' || c == '\t') {
            if (in_token) {
                out.push_back(cur);
                cur.clear();
                in_token = false;
            }
            continue;
        }
        cur += c;
        in_token = true;
    }
    if (in_token) {
        out.push_back(cur);
    }
    return out;
}
