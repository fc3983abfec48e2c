package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// buildServer builds the wordgarden binary into dir.
func buildServer(ctx context.Context, dir string, stderr io.Writer) (string, error) {
	bin := filepath.Join(dir, "wordgarden")
	start := time.Now()
	cmd := exec.CommandContext(ctx, "go", "build", "-tags", "sqlite_fts5", "-o", bin, "wordgarden/cmd/wordgarden")
	cmd.Stdout, cmd.Stderr = stderr, stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("build wordgarden (run from inside the wordgarden module, or give -bin): %w", err)
	}
	fmt.Fprintf(stderr, "built wordgarden in %s\n", time.Since(start).Round(100*time.Millisecond))
	return bin, nil
}

// child is wordgarden running as a child process.
type child struct {
	cmd     *exec.Cmd
	base    string // http://127.0.0.1:PORT
	logPath string
	log     *os.File
	exited  chan struct{}
	waitErr error
}

// freeAddr finds a loopback port nobody listens on.
func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	addr := ln.Addr().String()
	return addr, ln.Close()
}

// startServer starts wordgarden on db and waits until it serves its home
// page; it returns how long that took from the moment the process started.
func startServer(ctx context.Context, bin, db string, key []byte, logPath string) (*child, time.Duration, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, 0, err
	}
	logf, err := os.Create(logPath)
	if err != nil {
		return nil, 0, err
	}
	cmd := exec.Command(bin, "serve", "--db", db, "--addr", addr, "--load-testing")
	cmd.Env = append(os.Environ(), "WORDGARDEN_SESSION_KEY="+string(key))
	// The file itself, not a pipe: the server's request log costs this
	// process nothing.
	cmd.Stdout, cmd.Stderr = logf, logf
	c := &child{cmd: cmd, base: "http://" + addr, logPath: logPath, log: logf, exited: make(chan struct{})}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		logf.Close()
		return nil, 0, fmt.Errorf("start %s: %w", bin, err)
	}
	go func() {
		c.waitErr = cmd.Wait()
		close(c.exited)
	}()
	probe := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	deadline := time.Now().Add(60 * time.Second)
	for {
		res, err := probe.Get(c.base + "/")
		if err == nil {
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return c, time.Since(start), nil
			}
		}
		select {
		case <-c.exited:
			return nil, 0, fmt.Errorf("wordgarden stopped before serving (%v):\n%s", c.waitErr, tail(logPath, 20))
		case <-ctx.Done():
			c.stop()
			return nil, 0, ctx.Err()
		case <-time.After(5 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			c.stop()
			return nil, 0, fmt.Errorf("wordgarden did not serve / within a minute (last: %v):\n%s", err, tail(logPath, 20))
		}
	}
}

// memory returns the server's peak and current resident memory, in MB
// (VmHWM and VmRSS of /proc/PID/status).
func (c *child) memory() (peak, now float64, err error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", c.cmd.Process.Pid))
	if err != nil {
		return 0, 0, err
	}
	field := func(name string) float64 {
		for _, line := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(line, name+":"); ok {
				kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 64)
				return kb / 1024
			}
		}
		return 0
	}
	return field("VmHWM"), field("VmRSS"), nil
}

// stop asks the server to stop (SIGTERM), as an operator would, and waits.
func (c *child) stop() error {
	defer c.log.Close()
	select {
	case <-c.exited:
		return fmt.Errorf("wordgarden had stopped by itself: %v", c.waitErr)
	default:
	}
	c.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-c.exited:
	case <-time.After(20 * time.Second):
		c.cmd.Process.Kill()
		<-c.exited
		return errors.New("wordgarden did not stop within 20 s of SIGTERM; killed it")
	}
	var ee *exec.ExitError
	if c.waitErr != nil && !errors.As(c.waitErr, &ee) {
		return c.waitErr
	}
	if c.waitErr != nil {
		return fmt.Errorf("wordgarden exited with %v:\n%s", c.waitErr, tail(c.logPath, 10))
	}
	return nil
}

// logSummary is what the server logged at warning level or worse.
type logSummary struct {
	Lines     int      `json:"lines"`
	Errors    int      `json:"errors"`
	Warnings  int      `json:"warnings"`
	Status5xx int      `json:"status_5xx"`
	Samples   []string `json:"samples,omitempty"`
}

// summariseLog reads the server's log.
func summariseLog(path string) (logSummary, error) {
	var s logSummary
	f, err := os.Open(path)
	if err != nil {
		return s, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		s.Lines++
		bad := false
		switch {
		case strings.Contains(line, "level=ERROR"):
			s.Errors++
			bad = true
		case strings.Contains(line, "level=WARN"):
			s.Warnings++
			bad = true
		}
		if strings.Contains(line, " status=5") {
			s.Status5xx++
			bad = true
		}
		if bad && len(s.Samples) < 5 {
			if len(line) > 300 {
				line = line[:300] + "…"
			}
			s.Samples = append(s.Samples, line)
		}
	}
	return s, sc.Err()
}

// tail returns the last n lines of a file.
func tail(path string, n int) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// cpuTime returns the CPU time (user and system) a process has used so far,
// from /proc/PID/stat; pid 0 means this process.
func cpuTime(pid int) (time.Duration, error) {
	path := "/proc/self/stat"
	if pid != 0 {
		path = fmt.Sprintf("/proc/%d/stat", pid)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	// The command name, in parentheses, may hold spaces: count fields
	// after its closing parenthesis. utime and stime are fields 14 and 15.
	i := strings.LastIndexByte(string(b), ')')
	if i < 0 {
		return 0, fmt.Errorf("%s: unexpected format", path)
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 13 {
		return 0, fmt.Errorf("%s: unexpected format", path)
	}
	utime, err1 := strconv.ParseInt(f[11], 10, 64)
	stime, err2 := strconv.ParseInt(f[12], 10, 64)
	if err := errors.Join(err1, err2); err != nil {
		return 0, err
	}
	const ticks = 100 // USER_HZ, 100 on Linux
	return time.Duration(utime+stime) * time.Second / ticks, nil
}
