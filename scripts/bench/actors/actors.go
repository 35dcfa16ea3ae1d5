// The Go peers of spawn.mpl, pingpong.mpl, ring.mpl and idle.mpl: goroutines for processes,
// one channel per process for its mailbox, the same sizes (BENCH_N, BENCH_ROUNDS) and the
// same output lines. Usage: actors spawn|pingpong|ring|idle
package main

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// mailbox is the buffer of a process's channel: sends do not wait for the receiver, as in
// Mesh and Erlang, until this many messages are queued.
const mailbox = 64

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil {
		return v
	}
	return def
}

func rssKB() int {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return -1
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if strings.HasPrefix(s.Text(), "VmRSS:") {
			fields := strings.Fields(s.Text())
			kb, _ := strconv.Atoi(fields[1])
			return kb
		}
	}
	return -1
}

func spawnBench() {
	n := envInt("BENCH_N", 1000000)
	start := time.Now()
	// Room for every reply, as in an unbounded mailbox: children never wait for the parent.
	parent := make(chan int, n)
	for i := 0; i < n; i++ {
		go func() { parent <- 1 }()
	}
	count := 0
	for i := 0; i < n; i++ {
		count += <-parent
	}
	fmt.Printf("replies %d\nms %d\n", count, time.Since(start).Milliseconds())
}

type request struct {
	from chan int
	n    int
}

func pingpongBench() {
	n := envInt("BENCH_N", 1000000)
	start := time.Now()
	ponger := make(chan request, mailbox)
	go func() {
		for r := range ponger {
			r.from <- r.n
		}
	}()
	me := make(chan int, mailbox)
	sum := 0
	for i := 0; i < n; i++ {
		ponger <- request{me, i}
		sum += <-me
	}
	fmt.Printf("sum %d\nms %d\n", sum, time.Since(start).Milliseconds())
}

func ringBench() {
	n := envInt("BENCH_N", 10000)
	rounds := envInt("BENCH_ROUNDS", 100)
	start := time.Now()
	me := make(chan int, mailbox)
	next := me
	for i := 0; i < n; i++ {
		in := make(chan int, mailbox)
		go func(in, out chan int) {
			for t := range in {
				out <- t + 1
			}
		}(in, next)
		next = in
	}
	token := 0
	for r := 0; r < rounds; r++ {
		next <- token
		token = <-me + 1
	}
	fmt.Printf("hops %d\nms %d\n", token, time.Since(start).Milliseconds())
}

func idleBench() {
	n := envInt("BENCH_N", 100000)
	before := rssKB()
	ready := make(chan int, mailbox)
	boxes := make([]chan int, n)
	for i := 0; i < n; i++ {
		// The smallest channel: an idle process's mailbox holds nothing.
		box := make(chan int)
		boxes[i] = box
		go func() {
			ready <- 1
			<-box
		}()
	}
	for i := 0; i < n; i++ {
		<-ready
	}
	after := rssKB()
	fmt.Printf("processes %d\nbytes_per_process %d\n", n, (after-before)*1024/n)
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: actors spawn|pingpong|ring|idle")
		os.Exit(2)
	}
	switch os.Args[1] {
	case "spawn":
		spawnBench()
	case "pingpong":
		pingpongBench()
	case "ring":
		ringBench()
	case "idle":
		idleBench()
	default:
		fmt.Fprintln(os.Stderr, "unknown benchmark", os.Args[1])
		os.Exit(2)
	}
}
