#include <srs_core_utility.hpp>

#include <algorithm>
#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <random>

std::string srs_string_trim(const std::string& s, const std::string& chars) {
    size_t b = s.find_first_not_of(chars);
    if (b == std::string::npos) {
        return "";
    }
    size_t e = s.find_last_not_of(chars);
    return s.substr(b, e - b + 1);
}

bool srs_string_starts_with(const std::string& s, const std::string& prefix) {
    return s.size() >= prefix.size() && s.compare(0, prefix.size(), prefix) == 0;
}

bool srs_string_ends_with(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool srs_string_contains(const std::string& s, const std::string& part) {
    return s.find(part) != std::string::npos;
}

std::string srs_string_replace(const std::string& s, const std::string& from, const std::string& to) {
    if (from.empty()) {
        return s;
    }
    std::string r;
    size_t pos = 0;
    while (true) {
        size_t p = s.find(from, pos);
        if (p == std::string::npos) {
            r.append(s, pos, std::string::npos);
            break;
        }
        r.append(s, pos, p - pos);
        r.append(to);
        pos = p + from.size();
    }
    return r;
}

std::vector<std::string> srs_string_split(const std::string& s, const std::string& sep) {
    std::vector<std::string> parts;
    if (sep.empty()) {
        parts.push_back(s);
        return parts;
    }
    size_t pos = 0;
    while (true) {
        size_t p = s.find(sep, pos);
        if (p == std::string::npos) {
            parts.push_back(s.substr(pos));
            break;
        }
        parts.push_back(s.substr(pos, p - pos));
        pos = p + sep.size();
    }
    return parts;
}

std::string srs_string_join(const std::vector<std::string>& parts, const std::string& sep) {
    std::string r;
    for (size_t i = 0; i < parts.size(); i++) {
        if (i) {
            r += sep;
        }
        r += parts[i];
    }
    return r;
}

std::string srs_string_lower(const std::string& s) {
    std::string r = s;
    std::transform(r.begin(), r.end(), r.begin(), [](unsigned char c) { return (char)tolower(c); });
    return r;
}

std::string srs_fmt(const char* fmt, ...) {
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    if (n < 0) {
        return "";
    }
    if (n < (int)sizeof(buf)) {
        return std::string(buf, n);
    }
    std::string s(n, '\0');
    va_start(ap, fmt);
    vsnprintf(&s[0], n + 1, fmt, ap);
    va_end(ap);
    return s;
}

bool srs_parse_int64(const std::string& s, int64_t* out) {
    if (s.empty()) {
        return false;
    }
    errno = 0;
    char* end = nullptr;
    long long v = strtoll(s.c_str(), &end, 10);
    if (errno != 0 || end != s.c_str() + s.size()) {
        return false;
    }
    *out = v;
    return true;
}

std::string srs_hex_dump(const char* data, int size, int max) {
    std::string r;
    int n = std::min(size, max);
    char b[4];
    for (int i = 0; i < n; i++) {
        snprintf(b, sizeof(b), "%02x", (uint8_t)data[i]);
        if (i) {
            r += ' ';
        }
        r += b;
    }
    if (size > n) {
        r += " ...";
    }
    return r;
}

std::string srs_random_str(int len) {
    static std::mt19937_64 rng(std::random_device{}());
    static const char alphabet[] = "0123456789abcdefghijklmnopqrstuvwxyz";
    std::string s(len, '0');
    for (auto& c : s) {
        c = alphabet[rng() % 36];
    }
    return s;
}
