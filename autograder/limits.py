"""How much of a long text the grader keeps, named once: what a student's code or nbgrader writes can be any
length, and records, CSV files and flags must stay readable."""

MESSAGE = 600          # a cell's or a submission's message in the records, grades.csv and cells.csv (one line)
FLAG_REASON = 400      # an out-of-kernel verdict quoted in a flag for the instructor
CAUSE = 300            # an error quoted as the cause inside another message (nbgrader's, a worker's, a stand-in's)
FEEDBACK_ERROR = 200   # why nbgrader could not write a feedback page, on the page written instead
FORMAT_ERROR = 200     # the first line of a notebook-format validation error
EXCEPTION = 500        # an exception's text as it crosses from a replay worker to the grader
VERDICT = 600          # an out-of-kernel verdict that could not even run its check
TASK_LOG = 8000        # the end of nbgrader's log a grading task sends back
LOG_TAIL = 4000        # the part of it a failed submission's record keeps for the instructor
REPORT_HINT = 160      # a diagnosis as the class report counts it
REPORT_ROWS = 15       # diagnoses the class report lists
