"""``python -m bplib.practice``: problems for each student of a class (`bplib.practice._classroom`).

    python -m bplib.practice worksheets CLASS.csv OUTDIR [--kind example2]
    python -m bplib.practice grade ANSWERS.csv GRADEBOOK.csv
"""
import argparse
import sys

from ._classroom import ANSWERS, ID_HEADERS, KEY, NAME_HEADERS, ClassFileError, grade, worksheets
from ._kinds import KINDS


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bplib.practice",
                                     description="A backpropagation problem for each student, and their grades.")
    commands = parser.add_subparsers(dest="command", required=True)
    sheets = commands.add_parser("worksheets", help="worksheets, an answer key and an answers template for a class",
                                 description=f"CLASS.csv needs an ID column ({', '.join(ID_HEADERS)}) and a name "
                                             f"column ({', '.join(NAME_HEADERS)}), in any letter case.")
    sheets.add_argument("class_csv", metavar="CLASS.csv")
    sheets.add_argument("outdir", metavar="OUTDIR")
    sheets.add_argument("--kind", choices=list(KINDS), default="example2", help="the kind of problem (default example2)")
    marks = commands.add_parser("grade", help="grade a filled-in answers template into a gradebook")
    marks.add_argument("answers_csv", metavar="ANSWERS.csv")
    marks.add_argument("gradebook_csv", metavar="GRADEBOOK.csv")
    args = parser.parse_args(argv)
    try:
        if args.command == "worksheets":
            written = worksheets(args.class_csv, args.outdir, args.kind)
            print(f"{len(written) - 2} worksheets, {KEY} and {ANSWERS} written to {args.outdir}")
        else:
            rows = grade(args.answers_csv, args.gradebook_csv)
            print(f"{len(rows)} students graded; gradebook written to {args.gradebook_csv}")
    except ClassFileError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
