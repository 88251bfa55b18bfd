/*
 * snake: the classic game on the Glassbox framebuffer.
 *
 * Controls: arrow keys or W/A/S/D (keyboard), or the D-pad buttons;
 * Space, Enter or the start button starts and restarts.
 *
 * The board is the display in 8x8-pixel cells, with a wall round the
 * edge. The snake moves one cell every MOVE_FRAMES frames; each food eaten
 * makes it one cell longer and scores a point. The score is on the
 * seven-segment display (decimal) and the LEDs (a bar of up to 16).
 *
 * Determinism: the game counts time in display frames only (the FRAME
 * register), never host time: move k of a game happens at frame
 * start + 4k. The food generator is seeded with the frame
 * number at which the game was started, so a scripted session (glassbox
 * run --keys) replays exactly, on every core.
 *
 * Between frames it sleeps with wfi: the vsync interrupt (PLIC source 12)
 * is enabled in the PLIC and in mie but mstatus.MIE stays clear, so it
 * only wakes the hart (no handler).
 *
 * Drawing is incremental (new head, old tail, food), since every pixel
 * store goes to uncached MMIO; only a new game clears the whole screen.
 */
#include "dev.h"

#define CELL 8
#define MAX_W 64
#define MAX_H 64
#define MAX_LEN (MAX_W * MAX_H)
#define MOVE_FRAMES 4
#define START_LEN 4

#define C_BG    0x00101820u
#define C_WALL  0x00505a64u
#define C_BODY  0x0030c050u
#define C_HEAD  0x00a0ffa0u
#define C_FOOD  0x00ff5040u
#define C_DEAD  0x00c02020u
#define C_TITLE 0x00ffd040u

enum { DIR_UP, DIR_DOWN, DIR_LEFT, DIR_RIGHT };
enum { TITLE, PLAYING, OVER };

static volatile uint32_t *fb;
static uint32_t stride_words, cols, rows;

static uint8_t board[MAX_H][MAX_W];   /* 1 = snake */
static uint8_t body_x[MAX_LEN], body_y[MAX_LEN];
static uint32_t head_i, len;          /* ring of body cells, head at head_i */
static uint32_t dir, next_dir, food_x, food_y, score, rng;
static uint32_t last_frame;

static void fill(uint32_t x0, uint32_t y0, uint32_t w, uint32_t h, uint32_t c)
{
    for (uint32_t y = y0; y < y0 + h; y++) {
        volatile uint32_t *row = fb + y * stride_words + x0;
        for (uint32_t x = 0; x < w; x++)
            row[x] = c;
    }
}

static void cell(uint32_t cx, uint32_t cy, uint32_t c)
{
    /* One pixel of background right and below: a grid look. */
    fill(cx * CELL, cy * CELL, CELL - 1, CELL - 1, c);
}

static uint32_t rand_next(void)
{
    /* xorshift32: deterministic, never 0 once seeded with non-zero. */
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return rng;
}

/* Waits for the next display frame; returns its number. */
static uint32_t wait_frame(void)
{
    for (;;) {
        uint32_t f = DISP_FRAME;
        if (f != last_frame) {
            last_frame = f;
            DISP_STATUS = DISP_STATUS_VSYNC;   /* write 1 to clear */
            uint32_t src = PLIC_CLAIM;
            if (src != 0)
                PLIC_CLAIM = src;
            return f;
        }
        __asm__ volatile ("wfi");
    }
}

/* Reads the keyboard FIFO and the D-pad; returns 1 if start was pressed. */
static int read_input(uint32_t *prev_buttons)
{
    int start = 0;
    while (KBD_STATUS & KBD_STATUS_AVAIL) {
        uint32_t ev = KBD_DATA;
        if (!(ev & KBD_PRESS))
            continue;
        switch (KBD_CODE(ev)) {
        case KEY_UP: case KEY_W: next_dir = DIR_UP; break;
        case KEY_DOWN: case KEY_S: next_dir = DIR_DOWN; break;
        case KEY_LEFT: case KEY_A: next_dir = DIR_LEFT; break;
        case KEY_RIGHT: case KEY_D: next_dir = DIR_RIGHT; break;
        case KEY_SPACE: case KEY_ENTER: start = 1; break;
        default: break;
        }
    }
    uint32_t b = GPIO_BUTTONS;
    uint32_t pressed = b & ~*prev_buttons;
    *prev_buttons = b;
    if (pressed & BTN_UP) next_dir = DIR_UP;
    if (pressed & BTN_DOWN) next_dir = DIR_DOWN;
    if (pressed & BTN_LEFT) next_dir = DIR_LEFT;
    if (pressed & BTN_RIGHT) next_dir = DIR_RIGHT;
    if (pressed & (BTN_START | BTN_A))
        start = 1;
    return start;
}

static void show_score(void)
{
    sevenseg_dec(score % 10000);
    GPIO_LEDS = score >= 16 ? 0xffffu : (1u << score) - 1u;
}

static void place_food(void)
{
    /* Free cells exist: the board is far larger than any snake here. */
    do {
        food_x = 1 + rand_next() % (cols - 2);
        food_y = 1 + rand_next() % (rows - 2);
    } while (board[food_y][food_x]);
    cell(food_x, food_y, C_FOOD);
}

static void draw_walls(uint32_t c)
{
    for (uint32_t x = 0; x < cols; x++) {
        cell(x, 0, c);
        cell(x, rows - 1, c);
    }
    for (uint32_t y = 1; y + 1 < rows; y++) {
        cell(0, y, c);
        cell(cols - 1, y, c);
    }
}

static void title_screen(void)
{
    fill(0, 0, cols * CELL, rows * CELL, C_BG);
    draw_walls(C_WALL);
    /* A still snake in the middle and a food: "press start". */
    for (uint32_t i = 0; i < 6; i++)
        cell(cols / 2 - 3 + i, rows / 2, i == 5 ? C_HEAD : C_BODY);
    cell(cols / 2 + 5, rows / 2, C_TITLE);
}

static void new_game(uint32_t frame)
{
    rng = (frame * 2654435761u) ^ 0x9e3779b9u;
    if (rng == 0)
        rng = 1;
    for (uint32_t y = 0; y < rows; y++)
        for (uint32_t x = 0; x < cols; x++)
            board[y][x] = 0;
    fill(0, 0, cols * CELL, rows * CELL, C_BG);
    draw_walls(C_WALL);
    len = START_LEN;
    head_i = START_LEN - 1;
    uint32_t y = rows / 2;
    for (uint32_t i = 0; i < START_LEN; i++) {
        uint32_t x = cols / 4 + i;
        body_x[i] = (uint8_t)x;
        body_y[i] = (uint8_t)y;
        board[y][x] = 1;
        cell(x, y, i == START_LEN - 1 ? C_HEAD : C_BODY);
    }
    dir = next_dir = DIR_RIGHT;
    score = 0;
    show_score();
    place_food();
}

/* One move; returns 0 when the snake dies. */
static int step(void)
{
    /* A turn straight back is ignored. */
    if (!((dir == DIR_UP && next_dir == DIR_DOWN) || (dir == DIR_DOWN && next_dir == DIR_UP) ||
          (dir == DIR_LEFT && next_dir == DIR_RIGHT) || (dir == DIR_RIGHT && next_dir == DIR_LEFT)))
        dir = next_dir;
    uint32_t hx = body_x[head_i], hy = body_y[head_i];
    switch (dir) {
    case DIR_UP: hy--; break;
    case DIR_DOWN: hy++; break;
    case DIR_LEFT: hx--; break;
    default: hx++; break;
    }
    int eat = hx == food_x && hy == food_y;
    uint32_t tail_i = (head_i + MAX_LEN - (len - 1)) % MAX_LEN;
    if (!eat) {
        /* The tail moves away first: the head may take its cell. */
        board[body_y[tail_i]][body_x[tail_i]] = 0;
        cell(body_x[tail_i], body_y[tail_i], C_BG);
    }
    if (hx == 0 || hy == 0 || hx >= cols - 1 || hy >= rows - 1 || board[hy][hx])
        return 0;
    cell(body_x[head_i], body_y[head_i], C_BODY);
    head_i = (head_i + 1) % MAX_LEN;
    body_x[head_i] = (uint8_t)hx;
    body_y[head_i] = (uint8_t)hy;
    board[hy][hx] = 1;
    cell(hx, hy, C_HEAD);
    if (eat) {
        len++;
        score++;
        show_score();
        if (len + 1 < (cols - 2) * (rows - 2))
            place_food();
    }
    return 1;
}

/* No interrupt traps here (mstatus.MIE stays clear): any trap is a bug. */
void irq_handler(uint32_t mcause)
{
    irq_off();
    rt_puts("unexpected trap, mcause=");
    rt_put_hex(mcause);
    rt_puts(" mepc=");
    rt_put_hex(csr_read(mepc));
    rt_putchar('\n');
    sys_exit(2);
}

int main(void)
{
    csr_write(mtvec, (uint32_t)(uintptr_t)trap_entry);
    DISP_FORMAT = DISP_FORMAT_XRGB8888;
    fb = (volatile uint32_t *)(uintptr_t)DISP_FB_BASE;
    stride_words = DISP_STRIDE / 4;
    cols = DISP_WIDTH / CELL;
    rows = DISP_HEIGHT / CELL;
    if (cols > MAX_W)
        cols = MAX_W;
    if (rows > MAX_H)
        rows = MAX_H;

    /* vsync wakes wfi (mstatus.MIE stays clear: no trap). */
    plic_enable(IRQ_VSYNC, 1);
    PLIC_THRESHOLD = 0;
    DISP_IRQ_ENABLE = 1;
    csr_write(mie, MIE_MEIE);
    last_frame = DISP_FRAME;

    /* Moves happen at frames start + MOVE_FRAMES * k, counted in frame
     * numbers rather than wake-ups, so a slow core (a full-screen clear
     * can outlast a frame) keeps the same schedule. */
    uint32_t state = TITLE, buttons = 0, next_move = 0;
    title_screen();
    GPIO_SEVENSEG = 0;
    for (;;) {
        uint32_t frame = wait_frame();
        int start = read_input(&buttons);
        switch (state) {
        case TITLE:
        case OVER:
            if (start) {
                new_game(frame);
                state = PLAYING;
                next_move = frame + MOVE_FRAMES;
            }
            break;
        case PLAYING:
            if ((int32_t)(frame - next_move) >= 0) {
                next_move += MOVE_FRAMES;
                if (!step()) {
                    draw_walls(C_DEAD);
                    state = OVER;
                }
            }
            break;
        }
    }
}
