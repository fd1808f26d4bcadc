#include <srs_kernel_path.hpp>

#include <srs_core_utility.hpp>

#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <vector>

std::string srs_path_dirname(const std::string& path) {
    size_t pos = path.rfind('/');
    if (pos == std::string::npos) {
        return "";
    }
    return path.substr(0, pos);
}

srs_error_t srs_path_mkdir_all(const std::string& dir) {
    if (dir.empty()) {
        return srs_success;
    }
    std::string cur;
    size_t pos = 0;
    while (pos != std::string::npos) {
        size_t next = dir.find('/', pos);
        cur = next == std::string::npos ? dir : dir.substr(0, next);
        pos = next == std::string::npos ? next : next + 1;
        if (cur.empty() || cur == "." || cur == "..") {
            continue;
        }
        if (::mkdir(cur.c_str(), 0755) < 0 && errno != EEXIST) {
            return srs_error_new(ERROR_SYSTEM_CREATE_DIR, "mkdir %s: %s", cur.c_str(), strerror(errno));
        }
    }
    struct stat st;
    if (::stat(dir.c_str(), &st) < 0 || !S_ISDIR(st.st_mode)) {
        return srs_error_new(ERROR_SYSTEM_CREATE_DIR, "%s is not a directory", dir.c_str());
    }
    return srs_success;
}

std::string srs_path_template_expand(const std::string& tmpl, const SrsPathTemplateValues& v) {
    std::string out;
    out.reserve(tmpl.size() + 32);
    time_t secs = (time_t)(v.wall / SRS_UTIME_SECONDS);
    struct tm tm;
    memset(&tm, 0, sizeof(tm));
    localtime_r(&secs, &tm);
    char buf[32];

    size_t i = 0;
    while (i < tmpl.size()) {
        if (tmpl[i] != '[') {
            out.push_back(tmpl[i++]);
            continue;
        }
        size_t end = tmpl.find(']', i);
        if (end == std::string::npos) {
            out.append(tmpl, i, std::string::npos);
            break;
        }
        std::string name = tmpl.substr(i + 1, end - i - 1);
        bool known = true;
        if (name == "vhost") {
            out += v.vhost;
        } else if (name == "app") {
            out += v.app;
        } else if (name == "stream") {
            out += v.stream;
        } else if (name == "seq") {
            out += std::to_string(v.seq);
        } else if (name == "timestamp") {
            out += std::to_string(v.ts_floor ? v.floor_piece : v.wall / SRS_UTIME_MILLISECONDS);
        } else if (name == "duration") {
            if (v.duration_ms >= 0) {
                out += std::to_string(v.duration_ms);
            } else {
                known = false;
            }
        } else if (name == "2006") {
            snprintf(buf, sizeof(buf), "%04d", tm.tm_year + 1900);
            out += buf;
        } else if (name == "01") {
            snprintf(buf, sizeof(buf), "%02d", tm.tm_mon + 1);
            out += buf;
        } else if (name == "02") {
            snprintf(buf, sizeof(buf), "%02d", tm.tm_mday);
            out += buf;
        } else if (name == "15") {
            snprintf(buf, sizeof(buf), "%02d", tm.tm_hour);
            out += buf;
        } else if (name == "04") {
            snprintf(buf, sizeof(buf), "%02d", tm.tm_min);
            out += buf;
        } else if (name == "05") {
            snprintf(buf, sizeof(buf), "%02d", tm.tm_sec);
            out += buf;
        } else if (name == "999") {
            snprintf(buf, sizeof(buf), "%03d", (int)((v.wall / SRS_UTIME_MILLISECONDS) % 1000));
            out += buf;
        } else {
            known = false;
        }
        if (!known) {
            out.append(tmpl, i, end - i + 1);
        }
        i = end + 1;
    }
    return out;
}

std::string srs_path_clean(const std::string& path) {
    std::vector<std::string> parts;
    for (const std::string& p : srs_string_split(path, "/")) {
        if (p.empty() || p == ".") {
            continue;
        }
        if (p == ".." && !parts.empty() && parts.back() != "..") {
            parts.pop_back();
            continue;
        }
        parts.push_back(p);
    }
    return srs_string_join(parts, "/");
}

std::string srs_path_template_expand_seq(const std::string& tmpl, const SrsPathTemplateValues& v) {
    std::string rel = srs_path_template_expand(tmpl, v);
    if (tmpl.find("[seq]") != std::string::npos) {
        return rel;
    }
    size_t dot = rel.rfind('.');
    size_t slash = rel.rfind('/');
    std::string suffix = "-" + std::to_string(v.seq);
    bool has_ext = dot != std::string::npos && (slash == std::string::npos || dot > slash);
    return has_ext ? rel.substr(0, dot) + suffix + rel.substr(dot) : rel + suffix;
}

std::string srs_path_relative_uri(const std::string& base, const std::string& target) {
    std::vector<std::string> from = srs_string_split(srs_path_dirname(srs_path_clean(base)), "/");
    std::vector<std::string> to = srs_string_split(srs_path_clean(target), "/");
    if (from.size() == 1 && from[0].empty()) {
        from.clear();
    }
    size_t common = 0;
    while (common < from.size() && common + 1 < to.size() && from[common] == to[common]) {
        common++;
    }
    std::vector<std::string> parts;
    for (size_t i = common; i < from.size(); i++) {
        parts.push_back("..");
    }
    for (size_t i = common; i < to.size(); i++) {
        parts.push_back(to[i]);
    }
    return srs_string_join(parts, "/");
}
