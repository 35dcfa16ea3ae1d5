// Go peer of the Mesh HTTP benchmark: GET /text and GET /json with the headers a Mesh server
// sends (Content-Type: application/json; charset=utf-8 and Content-Length), on the port
// given as the first argument. (Debian's Go 1.19: no method patterns in ServeMux, so the
// handlers check the method.)
package main

import (
	"fmt"
	"net/http"
	"os"
	"strconv"
)

func reply(body string) http.HandlerFunc {
	payload := []byte(body)
	length := strconv.Itoa(len(payload))
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet {
			http.NotFound(w, r)
			return
		}
		h := w.Header()
		h["Content-Type"] = []string{"application/json; charset=utf-8"}
		h["Content-Length"] = []string{length}
		w.Write(payload)
	}
}

func main() {
	mux := http.NewServeMux()
	mux.HandleFunc("/text", reply("Hello, World!"))
	mux.HandleFunc("/json", reply(`{"message":"Hello, World!"}`))
	addr := "127.0.0.1:" + os.Args[1]
	fmt.Fprintln(os.Stderr, "listening on", addr)
	if err := http.ListenAndServe(addr, mux); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
