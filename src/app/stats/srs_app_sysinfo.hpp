// System and process information for /api/v1/summaries and friends and for the exporter:
// CPU, memory, load, network, disk and sockets from /proc, sampled on a timer so an API
// call only reads cached numbers. The parsers take text, so tests feed them fixtures.
#pragma once

#include <srs_app_kbps.hpp>

#include <nlohmann/json.hpp>

#include <sys/resource.h>

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

// getrusage(RUSAGE_SELF) of the server.
struct SrsRusage {
    bool ok = false;
    // Wall clock, in ms.
    int64_t sample_time = 0;
    rusage r{};
};

// /proc/self/stat (proc(5)), and the CPU the server used between two samples.
struct SrsProcSelfStat {
    bool ok = false;
    int64_t sample_time = 0;
    // CPU used since the previous sample, as a fraction of one CPU (1.0 is one core busy).
    double percent = 0;

    int pid = 0;
    std::string comm;
    char state = '?';
    int ppid = 0;
    int pgrp = 0;
    int session = 0;
    int tty_nr = 0;
    int tpgid = 0;
    uint64_t flags = 0;
    uint64_t minflt = 0;
    uint64_t cminflt = 0;
    uint64_t majflt = 0;
    uint64_t cmajflt = 0;
    uint64_t utime = 0;
    uint64_t stime = 0;
    int64_t cutime = 0;
    int64_t cstime = 0;
    int64_t priority = 0;
    int64_t nice = 0;
    int64_t num_threads = 0;
    int64_t itrealvalue = 0;
    uint64_t starttime = 0;
    uint64_t vsize = 0;
    // Resident pages.
    int64_t rss = 0;
    uint64_t rsslim = 0;
    uint64_t startcode = 0;
    uint64_t endcode = 0;
    uint64_t startstack = 0;
    uint64_t kstkesp = 0;
    uint64_t kstkeip = 0;
    uint64_t signal = 0;
    uint64_t blocked = 0;
    uint64_t sigignore = 0;
    uint64_t sigcatch = 0;
    uint64_t wchan = 0;
    uint64_t nswap = 0;
    uint64_t cnswap = 0;
    int exit_signal = 0;
    int processor = 0;
    uint64_t rt_priority = 0;
    uint64_t policy = 0;
    uint64_t delayacct_blkio_ticks = 0;
    uint64_t guest_time = 0;
    int64_t cguest_time = 0;
};

// The "cpu" line of /proc/stat (proc(5)), in clock ticks, and the busy fraction between
// two samples.
struct SrsProcSystemStat {
    bool ok = false;
    int64_t sample_time = 0;
    // Busy time over all CPUs since the previous sample, 0..1.
    double percent = 0;

    uint64_t user = 0;
    uint64_t nice = 0;
    uint64_t sys = 0;
    uint64_t idle = 0;
    uint64_t iowait = 0;
    uint64_t irq = 0;
    uint64_t softirq = 0;
    uint64_t steal = 0;
    uint64_t guest = 0;

    uint64_t total() const { return user + nice + sys + idle + iowait + irq + softirq + steal; }
};

// /proc/meminfo in KiB, with SRS's derived numbers.
struct SrsMemInfo {
    bool ok = false;
    int64_t sample_time = 0;
    // RealInUse / MemTotal and swap used / SwapTotal, 0..1.
    double percent_ram = 0;
    double percent_swap = 0;

    // MemTotal - MemFree.
    int64_t MemActive = 0;
    // MemActive - Buffers - Cached.
    int64_t RealInUse = 0;
    // MemTotal - RealInUse.
    int64_t NotInUse = 0;
    int64_t MemTotal = 0;
    int64_t MemFree = 0;
    int64_t Buffers = 0;
    int64_t Cached = 0;
    int64_t SwapTotal = 0;
    int64_t SwapFree = 0;
};

// Uptime, idle time and load average.
struct SrsPlatformInfo {
    bool ok = false;
    // Seconds, from /proc/uptime.
    double os_uptime = 0;
    // Idle seconds summed over CPUs; SRS spells the API field "ilde_time".
    double os_ilde_time = 0;
    double load_one_minutes = 0;
    double load_five_minutes = 0;
    double load_fifteen_minutes = 0;
};

// One line of /proc/net/dev: cumulative counters of a network device.
struct SrsNetworkDevice {
    std::string name;
    int64_t rbytes = 0;
    int64_t rpackets = 0;
    int64_t rerrs = 0;
    int64_t rdrop = 0;
    int64_t sbytes = 0;
    int64_t spackets = 0;
    int64_t serrs = 0;
    int64_t sdrop = 0;
};

// Disk throughput and busy time of the configured devices, from /proc/diskstats.
struct SrsDiskStat {
    bool ok = false;
    int64_t sample_time = 0;
    int in_KBps = 0;
    int out_KBps = 0;
    // Time the devices were busy since the previous sample, 0..1.
    double busy = 0;

    uint64_t rd_sectors = 0;
    uint64_t wr_sectors = 0;
    // Milliseconds spent doing IO.
    uint64_t io_ticks = 0;
};

// System-wide sockets, from /proc/net/sockstat and /proc/net/snmp.
struct SrsSockStat {
    bool ok = false;
    // TCP sockets allocated, established, in TIME_WAIT; UDP sockets in use.
    int64_t nb_conn_sys = 0;
    int64_t nb_conn_sys_et = 0;
    int64_t nb_conn_sys_tw = 0;
    int64_t nb_conn_sys_udp = 0;
};

// Parsers of /proc files; each returns false on text it cannot read.
bool srs_parse_proc_self_stat(const std::string& text, SrsProcSelfStat* out);
bool srs_parse_proc_system_stat(const std::string& text, SrsProcSystemStat* out);
bool srs_parse_meminfo(const std::string& text, SrsMemInfo* out);
bool srs_parse_uptime(const std::string& text, SrsPlatformInfo* out);
bool srs_parse_loadavg(const std::string& text, SrsPlatformInfo* out);
bool srs_parse_net_dev(const std::string& text, std::vector<SrsNetworkDevice>* out);
// Sums the counters of the named devices; none when names is empty.
bool srs_parse_diskstats(const std::string& text, const std::set<std::string>& names, SrsDiskStat* out);
bool srs_parse_sockstat(const std::string& text, SrsSockStat* out);
bool srs_parse_net_snmp(const std::string& text, SrsSockStat* out);
// Whether an IPv4 address (host order) is routable on the internet (not RFC 1918,
// loopback, link-local, CGNAT or multicast).
bool srs_ipv4_is_internet(uint32_t addr);

// What the server adds to the summaries: its own traffic, connections and command line.
struct SrsSummaryContext {
    int64_t srs_recv_bytes = 0;
    int64_t srs_send_bytes = 0;
    int64_t nb_conn_srs = 0;
    std::string argv;
    std::string cwd;
};

// The sampled system information. Owned by the server and sampled by its SrsSampler;
// everything reads the last sample.
class SrsSystemInfo : public ISrsSampled {
public:
    // proc_root is "/proc" except in tests.
    explicit SrsSystemInfo(const std::string& proc_root = "/proc");
    ~SrsSystemInfo() override = default;

public:
    // Reads every source now; the CPU, disk percentages need two samples.
    void sample(srs_utime_t now) override;
    // The disks to report (stats.disk in the config); empty reports none.
    void set_disk_devices(const std::set<std::string>& names) { disks_ = names; }
    // Classifies devices as internet or intranet by hand, instead of from getifaddrs().
    void set_device_internet(const std::string& name, bool internet);

    const SrsRusage& rusage_stat() const { return rusage_; }
    const SrsProcSelfStat& self() const { return self_; }
    const SrsProcSystemStat& system() const { return system_; }
    const SrsMemInfo& meminfo() const { return meminfo_; }
    const SrsPlatformInfo& platform() const { return platform_; }
    const SrsDiskStat& disk() const { return disk_; }
    const SrsSockStat& sockets() const { return sockets_; }
    const std::vector<SrsNetworkDevice>& devices() const { return devices_; }
    int64_t net_sample_time() const { return net_sample_time_; }
    int nb_processors() const { return nb_processors_; }
    int nb_processors_online() const { return nb_processors_online_; }
    // The server's resident memory in KiB (from the last /proc/self/stat).
    int64_t self_rss_kbyte() const;

public:
    // The "data" of the API endpoints, with SRS's field names.
    nlohmann::ordered_json dumps_summaries(const SrsSummaryContext& ctx) const;
    nlohmann::ordered_json dumps_rusage() const;
    nlohmann::ordered_json dumps_self_proc_stat() const;
    nlohmann::ordered_json dumps_system_proc_stat() const;
    nlohmann::ordered_json dumps_meminfo() const;

private:
    std::string read(const char* name) const;
    void refresh_interfaces();

private:
    std::string proc_root_;
    long clk_tck_;
    long page_kbyte_;
    int nb_processors_ = 0;
    int nb_processors_online_ = 0;
    std::set<std::string> disks_;
    std::map<std::string, bool> internet_;
    std::set<std::string> manual_;

    SrsRusage rusage_;
    SrsProcSelfStat self_;
    srs_utime_t self_at_ = 0;
    SrsProcSystemStat system_;
    SrsMemInfo meminfo_;
    SrsPlatformInfo platform_;
    SrsDiskStat disk_;
    srs_utime_t disk_at_ = 0;
    SrsSockStat sockets_;
    std::vector<SrsNetworkDevice> devices_;
    int64_t net_sample_time_ = 0;
};
