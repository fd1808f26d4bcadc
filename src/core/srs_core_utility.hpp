// Small string and number helpers used across layers.
#pragma once

#include <srs_core.hpp>

#include <string>
#include <vector>

std::string srs_string_trim(const std::string& s, const std::string& chars = " \t\r\n");
bool srs_string_starts_with(const std::string& s, const std::string& prefix);
bool srs_string_ends_with(const std::string& s, const std::string& suffix);
bool srs_string_contains(const std::string& s, const std::string& part);
std::string srs_string_replace(const std::string& s, const std::string& from, const std::string& to);
// Splits on every occurrence of sep; keeps empty parts.
std::vector<std::string> srs_string_split(const std::string& s, const std::string& sep);
std::string srs_string_join(const std::vector<std::string>& parts, const std::string& sep);
std::string srs_string_lower(const std::string& s);
// printf into a std::string.
std::string srs_fmt(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
// Parses a whole string as a decimal integer; false when it is not one.
bool srs_parse_int64(const std::string& s, int64_t* out);
// Hex dump of the first bytes, for logs of malformed input.
std::string srs_hex_dump(const char* data, int size, int max = 32);
// A random id of [0-9a-z] characters.
std::string srs_random_str(int len);
