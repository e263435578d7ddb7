;;; eglot-session.el --- Emacs eglot against django-postgres-language-server, for test/lsp/emacs.test.ts  -*- lexical-binding: t; -*-
;; Loads the user's setup (DPG_INIT: docs/editors.md's eglot block), opens the settings file DPG_FILE the way
;; a user does, and records what eglot shows (Flymake diagnostics, hover, completion, a code action applied)
;; as JSON in DPG_OUT. DPG_HOVER and DPG_COMPLETE are 0-based buffer offsets.
(require 'package)
(package-initialize)
(require 'eglot)
(require 'json)
(load (getenv "DPG_INIT") nil t)

(defvar dpg-result (list))
(defun dpg-record (key value) (setq dpg-result (cons (cons key value) dpg-result)))
(defun dpg-wait (predicate seconds)
  "Let eglot's process output arrive until PREDICATE holds or SECONDS pass (batch Emacs runs no idle timers)."
  (let ((deadline (+ (float-time) seconds)))
    (while (and (not (funcall predicate)) (< (float-time) deadline))
      (accept-process-output nil 0.05))
    (funcall predicate)))
(defun dpg-diagnostic-texts () (mapcar #'flymake-diagnostic-text (flymake-diagnostics)))
(defun dpg-find-diagnostic (code)
  (seq-find (lambda (d) (string-match-p (regexp-quote (format "[%s]" code)) (flymake-diagnostic-text d))) (flymake-diagnostics)))

(condition-case err
    (progn
      (find-file (getenv "DPG_FILE"))
      (dpg-record 'mode (symbol-name major-mode))
      ;; What `eglot-ensure' does on the first command (batch Emacs runs no commands).
      (apply #'eglot--connect (eglot--guess-contact))
      (unless (dpg-wait #'eglot-current-server 20) (error "eglot did not connect"))
      (flymake-start)
      (dpg-wait (lambda () (dpg-find-diagnostic "DPG102")) 20)
      (dpg-record 'diagnostics (vconcat (dpg-diagnostic-texts)))
      (goto-char (1+ (string-to-number (getenv "DPG_HOVER"))))
      (let ((hover (jsonrpc-request (eglot-current-server) :textDocument/hover (eglot--TextDocumentPositionParams))))
        (dpg-record 'hover (plist-get (plist-get hover :contents) :value)))
      (goto-char (1+ (string-to-number (getenv "DPG_COMPLETE"))))
      (let ((capf (eglot-completion-at-point)))
        (dpg-record 'completion (vconcat (all-completions "" (nth 2 capf)))))
      (let* ((diagnostic (dpg-find-diagnostic "DPG102"))
             (actions (and diagnostic (eglot-code-actions (flymake-diagnostic-beg diagnostic) (flymake-diagnostic-end diagnostic)))))
        (dpg-record 'actions (vconcat (mapcar (lambda (a) (plist-get a :title)) actions)))
        (when actions
          (eglot--apply-workspace-edit (plist-get (car actions) :edit))
          (eglot--signal-textDocument/didChange)
          (dpg-wait (lambda () (not (dpg-find-diagnostic "DPG102"))) 20)
          (goto-char (flymake-diagnostic-beg diagnostic))
          (dpg-record 'line-after-fix (buffer-substring-no-properties (line-beginning-position) (line-end-position)))
          (dpg-record 'diagnostics-after-fix (vconcat (dpg-diagnostic-texts))))))
  (error (dpg-record 'error (error-message-string err))))

(with-temp-file (getenv "DPG_OUT") (insert (json-encode dpg-result)))
(ignore-errors (eglot-shutdown (eglot-current-server)))
(kill-emacs 0)
