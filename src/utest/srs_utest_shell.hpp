// Running a shell command (ffmpeg, ffprobe) from a test, for the tests that check the kernel's
// output with real tools.
#pragma once

#include <srs_core_st.hpp>

#include <cstdio>
#include <cstdlib>
#include <string>

namespace srs_utest {

// Runs cmd through the shell; returns its stdout and sets *status (pclose's, -1 when it could
// not start).
inline std::string run_command(const std::string& cmd, int* status) {
    std::string out;
    // No child reads our stdin (ffmpeg would, and may leave its flags changed).
    FILE* fp = popen((cmd + " </dev/null").c_str(), "r");
    if (!fp) {
        *status = -1;
        return out;
    }
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof(buf), fp)) > 0) {
        out.append(buf, n);
    }
    *status = pclose(fp);
    // The process blocked outside ST: let ST refresh its clock now, or the next coroutine IO
    // with a timeout (in this or a later test) would time out at once.
    srs_usleep(1);
    return out;
}

// Whether a tool is on the PATH.
inline bool has_tool(const char* name) {
    std::string cmd = std::string("command -v ") + name + " >/dev/null 2>&1";
    return system(cmd.c_str()) == 0;
}

}  // namespace srs_utest
