// The Go peer of scripts/bench/todo.sh: the read and create routes of the SQLite Todo starter
// (examples/todo-sqlite) with net/http and database/sql over mattn/go-sqlite3 (Debian's
// golang-github-mattn-go-sqlite3-dev, built with GO111MODULE=off). Like the starter it uses
// one connection to the database file and answers the same JSON.
//
// Usage: server PORT DB_PATH
package main

import (
	"database/sql"
	"encoding/json"
	"log"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	_ "github.com/mattn/go-sqlite3"
)

type todo struct {
	Completed bool   `json:"completed"`
	CreatedAt string `json:"created_at"`
	ID        string `json:"id"`
	Title     string `json:"title"`
}

var db *sql.DB

func reply(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		status, body = 500, []byte(`{"error":"encode"}`)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	w.Write(body)
}

func fail(w http.ResponseWriter, status int, message string) {
	reply(w, status, map[string]string{"error": message})
}

func scan(rows interface{ Scan(...any) error }) (todo, error) {
	var t todo
	var id int64
	var completed int64
	err := rows.Scan(&id, &t.Title, &completed, &t.CreatedAt)
	t.ID = strconv.FormatInt(id, 10)
	t.Completed = completed != 0
	return t, err
}

func list(w http.ResponseWriter) {
	rows, err := db.Query("SELECT id, title, completed, created_at FROM todos ORDER BY id ASC")
	if err != nil {
		fail(w, 500, err.Error())
		return
	}
	defer rows.Close()
	todos := []todo{}
	for rows.Next() {
		t, err := scan(rows)
		if err != nil {
			fail(w, 500, err.Error())
			return
		}
		todos = append(todos, t)
	}
	reply(w, 200, todos)
}

func get(w http.ResponseWriter, raw string) {
	id, err := strconv.ParseInt(strings.TrimSpace(raw), 10, 64)
	if err != nil || id <= 0 {
		fail(w, 400, "invalid todo id")
		return
	}
	row := db.QueryRow("SELECT id, title, completed, created_at FROM todos WHERE id = ?", id)
	t, err := scan(row)
	if err == sql.ErrNoRows {
		fail(w, 404, "todo not found")
		return
	} else if err != nil {
		fail(w, 500, err.Error())
		return
	}
	reply(w, 200, t)
}

func create(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Title *string `json:"title"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil || body.Title == nil || strings.TrimSpace(*body.Title) == "" {
		fail(w, 400, "title is required")
		return
	}
	now := time.Now().UTC().Format("2006-01-02T15:04:05.000Z")
	row := db.QueryRow("INSERT INTO todos (title, completed, created_at) VALUES (?, 0, ?) RETURNING id, title, completed, created_at", strings.TrimSpace(*body.Title), now)
	t, err := scan(row)
	if err != nil {
		fail(w, 500, err.Error())
		return
	}
	reply(w, 201, t)
}

func main() {
	var err error
	db, err = sql.Open("sqlite3", os.Args[2])
	if err != nil {
		log.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	if _, err = db.Exec("CREATE TABLE IF NOT EXISTS todos (id INTEGER PRIMARY KEY AUTOINCREMENT, title TEXT NOT NULL, completed INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL)"); err != nil {
		log.Fatal(err)
	}
	http.HandleFunc("/todos", func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case "GET":
			list(w)
		case "POST":
			create(w, r)
		default:
			fail(w, 404, "Not Found")
		}
	})
	http.HandleFunc("/todos/", func(w http.ResponseWriter, r *http.Request) {
		if r.Method != "GET" {
			fail(w, 404, "Not Found")
			return
		}
		get(w, strings.TrimPrefix(r.URL.Path, "/todos/"))
	})
	log.Fatal(http.ListenAndServe(":"+os.Args[1], nil))
}
