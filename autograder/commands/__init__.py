"""What ``nnlab-grade``'s commands do beyond grading itself: collect submissions (folders, zips, Canvas and
Moodle downloads), release the student notebooks, build the student kit, export grades and feedback, and write
the class report. ``autograder/cli.py`` parses the command line and calls these."""
