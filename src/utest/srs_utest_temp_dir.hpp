// A temporary directory for a test, removed with everything in it when the test ends, and the
// two file reads the tests of what is written there need.
#pragma once

#include <sys/stat.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace srs_utest {

class SrsUtestTempDir {
public:
    // /tmp/srs_utest_<name>_XXXXXX.
    explicit SrsUtestTempDir(const std::string& name) {
        std::string t = "/tmp/srs_utest_" + name + "_XXXXXX";
        std::vector<char> tmpl(t.begin(), t.end());
        tmpl.push_back('\0');
        char* p = mkdtemp(tmpl.data());
        path_ = p ? p : "";
    }
    ~SrsUtestTempDir() {
        if (!path_.empty()) {
            std::string cmd = "rm -rf '" + path_ + "'";
            // A leftover temp dir is harmless.
            int r = system(cmd.c_str());
            (void)r;
        }
    }
    SrsUtestTempDir(const SrsUtestTempDir&) = delete;
    SrsUtestTempDir& operator=(const SrsUtestTempDir&) = delete;
    const std::string& path() const { return path_; }

private:
    std::string path_;
};

// The whole file, empty when it cannot be read.
inline std::string read_file(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

inline bool file_exists(const std::string& path) {
    struct stat st;
    return ::stat(path.c_str(), &st) == 0;
}

}  // namespace srs_utest
